import { describe, expect, it } from 'vitest';
import { AjvSchemaValidator } from '../../adapters/ajv/ajv-schema-validator.js';
import { MemoryWorkspaceFiles } from '../../adapters/memory/memory-workspace-files.js';
import { YamlDocumentParser } from '../../adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from '../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { LangiumCheckExpressions } from '../../adapters/langium/langium-check-expressions.js';
import { ALL_RULES } from './rules/index.js';
import { defineRule, type Rule } from './rule.js';
import { ValidationSession } from './validation-session.js';
import { productName } from './product-unit.js';

function product(name: string, inputs: string[], columns = ['id']): Record<string, string> {
  const dir = name;
  return {
    [`${dir}/product.yaml`]: `apiVersion: akili/v1\nkind: DataProduct\nmetadata:\n  name: ${name}\n  domain: retail\n  version: 1.0.0\n  owner: team\n  description: The ${name} product for tests.\n  classification: internal\n`,
    [`${dir}/inputs.yaml`]:
      `apiVersion: akili/v1\nkind: Inputs\ninputs:\n${inputs.map((i) => `  - id: ${i}\n    type: data_product\n`).join('') || '  []\n'}`.replace(
        'inputs:\n  []',
        'inputs: []',
      ),
    [`${dir}/output.yaml`]: `apiVersion: akili/v1\nkind: Output\nschema:\n${columns.map((c, i) => `  - name: ${c}\n    type: integer\n${i === 0 ? '    primary_key: true\n    role: identity\n' : ''}`).join('')}`,
    [`${dir}/serving.yaml`]: 'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n',
    [`${dir}/quality.yaml`]: 'apiVersion: akili/v1\nkind: Quality\nchecks: []\n',
    [`${dir}/compute.yaml`]: 'apiVersion: akili/v1\nkind: Compute\nruntime: sql\n',
    [`${dir}/logic/transform.sql`]: inputs.length
      ? `SELECT ${columns.join(', ')} FROM ${inputs[0]!.replace(/-/g, '_')}`
      : `SELECT 1 AS ${columns[0]}`,
  };
}

/** A rule that counts how often it runs per product, to observe incrementality. */
function countingRule(counts: Map<string, number>): Rule {
  return defineRule({
    code: 'TST-001',
    scope: 'product',
    severity: 'warning',
    family: 'style',
    tier: 'full',
    title: 'counts runs',
    explain: { why: '', bad: '', good: '' },
    check(ctx) {
      const name = productName(ctx.unit) ?? '?';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    },
  });
}

async function open(files: Record<string, string>, rules: readonly Rule[]) {
  const memory = new MemoryWorkspaceFiles(files);
  return ValidationSession.open(
    {
      files: memory,
      parser: new YamlDocumentParser(),
      sql: new DuckDbSqlAnalyzer(),
      expressions: new LangiumCheckExpressions(),
      rules,
      schemas: new AjvSchemaValidator(),
    },
    'full',
  );
}

describe('ValidationSession', () => {
  const workspace = { ...product('aa', []), ...product('bb', ['aa']), ...product('cc', ['bb']), ...product('dd', []) };

  it('re-runs only the edited product when a file that nobody else reads changes', async () => {
    const counts = new Map<string, number>();
    const session = await open(workspace, [countingRule(counts)]);
    session.validateAll();
    expect(Object.fromEntries(counts)).toEqual({ aa: 1, bb: 1, cc: 1, dd: 1 });
    const result = session.update(
      'aa/serving.yaml',
      'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: lookup\n',
    );
    expect(Object.fromEntries(counts)).toEqual({ aa: 2, bb: 1, cc: 1, dd: 1 });
    expect(result.affected.map((p) => p.folder)).toEqual(['aa']);
  });

  it('re-runs the workspace rules after a manifest edit, not after a logic edit in place', async () => {
    let runs = 0;
    const workspaceRule = defineRule({
      code: 'TST-002',
      scope: 'workspace',
      severity: 'warning',
      family: 'style',
      tier: 'full',
      title: 'counts workspace runs',
      explain: { why: '', bad: '', good: '' },
      check() {
        runs++;
      },
    });
    const counts = new Map<string, number>();
    const session = await open(workspace, [workspaceRule, countingRule(counts)]);
    session.validateAll();
    expect(runs).toBe(1);
    session.update('aa/logic/transform.sql', 'SELECT 2 AS id');
    expect(runs).toBe(1);
    expect(counts.get('aa')).toBe(2); // the product's own rules did run again
    session.update('aa/serving.yaml', 'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: lookup\n');
    expect(runs).toBe(2);
    session.update('aa/logic/extra.sql', 'SELECT 1'); // a new file: which files exist changed
    expect(runs).toBe(3);
  });

  it('re-runs the direct consumers when an output contract changes, not the rest', async () => {
    const counts = new Map<string, number>();
    const session = await open(workspace, [countingRule(counts)]);
    session.validateAll();
    session.update('aa/output.yaml', workspace['aa/output.yaml'] + '  - name: extra\n    type: string\n');
    expect(Object.fromEntries(counts)).toEqual({ aa: 2, bb: 2, cc: 1, dd: 1 });
  });

  it('returns the findings of every product a change affects, with unsaved text', async () => {
    const session = await open(workspace, ALL_RULES);
    const before = session.validateAll();
    expect(before.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Rename a's only column: b's SQL reads a column its upstream no longer has.
    const edited = workspace['aa/output.yaml']!.replace('name: id', 'name: key');
    const result = session.update('aa/output.yaml', edited);
    const folders = result.affected.map((p) => p.folder).sort();
    expect(folders).toContain('aa');
    expect(folders).toContain('bb');
    expect(folders).not.toContain('dd');
    const b = result.affected.find((p) => p.folder === 'bb');
    expect(b?.findings.some((f) => f.severity === 'error' && f.file === 'bb/logic/transform.sql')).toBe(true);
    // Reverting the text clears the findings again.
    const reverted = session.update('aa/output.yaml', workspace['aa/output.yaml']);
    expect(reverted.affected.find((p) => p.folder === 'bb')?.findings.filter((f) => f.severity === 'error')).toEqual(
      [],
    );
  });

  it('handles a product being added and removed', async () => {
    const session = await open(workspace, ALL_RULES);
    session.validateAll();
    const result = session.update('ee/product.yaml', product('ee', [])['ee/product.yaml']);
    const e = result.affected.find((p) => p.folder === 'ee');
    expect(e?.findings.filter((f) => f.code === 'MAN-001')).toHaveLength(5);
    const removed = session.update('ee/product.yaml', undefined);
    expect(removed.affected.find((p) => p.folder === 'ee')?.findings).toEqual([]);
    expect(session.products()).toEqual(['aa', 'bb', 'cc', 'dd']);
  });

  it('reports a YAML syntax error in unsaved text without losing the other findings', async () => {
    const session = await open(workspace, ALL_RULES);
    session.validateAll();
    const result = session.update('dd/quality.yaml', 'apiVersion: akili/v1\nkind: Quality\nchecks: [\n');
    const d = result.affected.find((p) => p.folder === 'dd');
    expect(d?.findings.map((f) => f.code)).toContain('MAN-002');
    expect(d?.findings.find((f) => f.code === 'MAN-002')?.file).toBe('dd/quality.yaml');
  });
});
