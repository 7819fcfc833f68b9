import { describe, expect, it } from 'vitest';
import { AjvSchemaValidator } from '../../adapters/ajv/ajv-schema-validator.js';
import { MemoryWorkspaceFiles } from '../../adapters/memory/memory-workspace-files.js';
import { YamlDocumentParser } from '../../adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from '../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { LangiumCheckExpressions } from '../../adapters/langium/langium-check-expressions.js';
import { ALL_RULES } from './rules/index.js';
import { ValidationSession } from './validation-session.js';

/** Workspace files that record which ones were read (measuring is not reading). */
class RecordingFiles extends MemoryWorkspaceFiles {
  readonly reads: string[] = [];
  override async read(path: string): Promise<string | undefined> {
    this.reads.push(path);
    return super.read(path);
  }
}

const CONFIG = 'apiVersion: akili/v1\nkind: Workspace\ntenant: acme\nteams: [team]\n';
const PRODUCT: Record<string, string> = {
  'pp/product.yaml':
    'apiVersion: akili/v1\nkind: DataProduct\nmetadata:\n  name: pp\n  domain: retail\n  version: 1.0.0\n  owner: team\n  description: The pp product for tests.\n  classification: internal\n',
  'pp/inputs.yaml': 'apiVersion: akili/v1\nkind: Inputs\ninputs: []\n',
  'pp/output.yaml':
    'apiVersion: akili/v1\nkind: Output\nschema:\n  - name: id\n    type: integer\n    primary_key: true\n    role: identity\n',
  'pp/serving.yaml': 'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n',
  'pp/quality.yaml': 'apiVersion: akili/v1\nkind: Quality\nchecks: []\n',
  'pp/compute.yaml': 'apiVersion: akili/v1\nkind: Compute\nruntime: sql\n',
  'pp/logic/transform.sql': 'SELECT 1 AS id',
};

async function open(files: Record<string, string>) {
  const memory = new RecordingFiles(files);
  const deps = {
    files: memory,
    parser: new YamlDocumentParser(),
    sql: new DuckDbSqlAnalyzer(),
    expressions: new LangiumCheckExpressions(),
    rules: ALL_RULES,
    schemas: new AjvSchemaValidator(),
  };
  return { session: await ValidationSession.open(deps, 'full'), memory };
}

const codes = (session: ValidationSession) =>
  session
    .validateAll()
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${f.code} ${f.file}`);

describe('manifest and logic files over the size limit (MAN-007)', () => {
  it('are measured, never read, and reported on the product with the sizes; nothing else is said about them', async () => {
    const big = `${PRODUCT['pp/output.yaml']}${'# padding\n'.repeat(110_000)}`; // 1.05 MiB
    const { session, memory } = await open({ 'hekima.yaml': CONFIG, ...PRODUCT, 'pp/output.yaml': big });
    expect(memory.reads).not.toContain('pp/output.yaml');
    const report = session.validateAll();
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.code)).toEqual(['MAN-007']);
    const [finding] = errors;
    expect(finding).toMatchObject({ file: 'pp/output.yaml', severity: 'error', product: { name: 'pp', folder: 'pp' } });
    expect(finding?.message).toBe(
      `pp/output.yaml is 1.05 MiB (${big.length} bytes), over the 1 MiB limit for manifests and logic files: it was not read`,
    );
    expect(finding?.hint).toContain('limits.max_file_bytes');
  });

  it('take their limit from hekima.yaml limits.max_file_bytes, and an editor buffer over it is refused too', async () => {
    const config = `${CONFIG}limits:\n  max_file_bytes: 2048\n`;
    const { session } = await open({
      'hekima.yaml': config,
      ...PRODUCT,
      'pp/logic/transform.sql': `SELECT 1 AS id -- ${'x'.repeat(3000)}`,
    });
    expect(codes(session)).toEqual(['MAN-007 pp/logic/transform.sql']);
    session.update('pp/logic/transform.sql', 'SELECT 1 AS id');
    expect(codes(session)).toEqual([]);
    session.update('pp/product.yaml', `${PRODUCT['pp/product.yaml']}${'#\n'.repeat(1500)}`);
    expect(codes(session)).toEqual(['MAN-007 pp/product.yaml']);
  });

  it('hold hekima.yaml itself to the default limit, as a workspace finding', async () => {
    const config = `${CONFIG}limits:\n  max_file_bytes: 67108864\n${'#\n'.repeat(600_000)}`;
    const { session, memory } = await open({ 'hekima.yaml': config, ...PRODUCT });
    expect(memory.reads).not.toContain('hekima.yaml');
    const report = session.validateAll();
    expect(report.workspace.map((f) => `${f.code} ${f.file}`)).toContain('MAN-007 hekima.yaml');
  });

  it('limits.max_file_bytes outside 1 KiB–64 MiB is a schema error at its line', async () => {
    const { session } = await open({ 'hekima.yaml': `${CONFIG}limits:\n  max_file_bytes: 10\n`, ...PRODUCT });
    const finding = session.validateAll().findings.find((f) => f.file === 'hekima.yaml');
    expect(finding).toMatchObject({ path: '/limits/max_file_bytes', range: { start: { line: 6 } } });
    expect(finding?.code).toMatch(/^SCH-/);
  });
});
