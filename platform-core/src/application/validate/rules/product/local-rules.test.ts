/**
 * Tests of the product-local rule families (PRD, INP, OUT incl. XVAL-031, SRV, QUA, CMP):
 * - the valid sample workspace yields none of their findings;
 * - every fix they attach to their invalid fixtures applies cleanly, removes its finding and
 *   introduces no new one;
 * - variants the fixtures do not cover, and malformed manifests (rules never throw).
 */
import { applyFix } from '../../../../domain/text-edits.js';
import { AjvSchemaValidator } from '../../../../adapters/ajv/ajv-schema-validator.js';
import { LineIndex } from '../../../../domain/text-positions.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invalidRoot, workspacesRoot } from '@hekima/fixtures';
import { MemoryWorkspaceFiles } from '../../../../adapters/memory/memory-workspace-files.js';
import { YamlDocumentParser } from '../../../../adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from '../../../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { LangiumCheckExpressions } from '../../../../adapters/langium/langium-check-expressions.js';
import type { Finding } from '../../../../domain/finding.js';
import { ValidationSession } from '../../validation-session.js';
import { ALL_RULES } from '../index.js';

const FAMILIES = ['product', 'inputs', 'output', 'serving', 'quality', 'compute'];
const OUR_CODES = new Set(
  ALL_RULES.filter((r) => FAMILIES.includes(r.family) && r.scope !== 'builtin').map((r) => r.code),
);
const parser = new YamlDocumentParser();
const sql = new DuckDbSqlAnalyzer();
const expressions = new LangiumCheckExpressions();

function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'expected-findings.json')
        files.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

async function validate(files: Map<string, string> | Record<string, string>): Promise<Finding[]> {
  const session = await ValidationSession.open(
    {
      files: new MemoryWorkspaceFiles(files),
      parser,
      sql,
      expressions,
      rules: ALL_RULES,
      schemas: new AjvSchemaValidator(),
    },
    'full',
  );
  return [...session.validateAll().findings];
}

function ours(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => OUR_CODES.has(f.code));
}

const key = (f: Finding) => `${f.code} ${f.file} ${f.path}`;

const offsetOf = (text: string, line: number, column: number): number => new LineIndex(text).offset(line, column);

function minimal(): Map<string, string> {
  return readTree(join(workspacesRoot, 'minimal'));
}

function patch(files: Map<string, string>, path: string, from: string, to: string): Map<string, string> {
  const text = files.get(path);
  if (text === undefined || !text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  const out = new Map(files);
  out.set(path, text.replace(from, to));
  return out;
}

function append(files: Map<string, string>, path: string, more: string): Map<string, string> {
  const out = new Map(files);
  out.set(path, (files.get(path) ?? '') + more);
  return out;
}

async function findingsOf(files: Map<string, string>, code: string): Promise<Finding[]> {
  return (await validate(files)).filter((f) => f.code === code);
}

describe('product-local rules', () => {
  it('find nothing in the valid minimal workspace', async () => {
    expect(ours(await validate(minimal())).map(key)).toEqual([]);
  });

  const cases = readdirSync(invalidRoot).filter((name) => {
    const code = name.split('-').slice(0, 2).join('-').toUpperCase();
    return OUR_CODES.has(code);
  });

  it('have an invalid fixture for every code', () => {
    const covered = new Set(cases.map((name) => name.split('-').slice(0, 2).join('-').toUpperCase()));
    expect([...OUR_CODES].filter((c) => !covered.has(c))).toEqual([]);
  });

  for (const name of cases) {
    it(`${name}: every fix applies, removes its finding and adds none`, async () => {
      const files = readTree(join(invalidRoot, name));
      const before = await validate(files);
      for (const finding of ours(before)) {
        if (!finding.fix) continue;
        const after = await validate(applyFix(files, finding.fix));
        const remaining = new Map<string, number>();
        for (const f of before) remaining.set(key(f), (remaining.get(key(f)) ?? 0) + 1);
        remaining.set(key(finding), (remaining.get(key(finding)) ?? 0) - 1);
        for (const f of after) {
          const left = remaining.get(key(f)) ?? 0;
          expect(left, `after '${finding.fix.title}': unexpected ${f.code} ${f.path} — ${f.message}`).toBeGreaterThan(
            0,
          );
          remaining.set(key(f), left - 1);
        }
      }
    });
  }
});

describe('rule variants', () => {
  it('PRD-002 is silent without declared teams', async () => {
    let files = patch(minimal(), 'orders/product.yaml', 'owner: sales-analytics', 'owner: nobody-at-all');
    expect((await findingsOf(files, 'PRD-002')).length).toBe(1);
    expect((await findingsOf(files, 'PRD-002'))[0]?.fix).toBeUndefined();
    files = patch(files, 'hekima.yaml', 'teams:\n  - sales-analytics\n  - crm\n', '');
    expect(await findingsOf(files, 'PRD-002')).toEqual([]);
  });

  it('PRD-004 accepts a future review date', async () => {
    const files = append(
      minimal(),
      'orders/product.yaml',
      'retention:\n  period: 730d\n  basis: ordered_at\n  review_date: "2999-01-01"\n',
    );
    expect(await findingsOf(files, 'PRD-004')).toEqual([]);
  });

  it('INP-003 reports a skip inherited from defaults, and not on optional inputs', async () => {
    let files = patch(minimal(), 'customer-orders/inputs.yaml', '  fallback: fail', '  fallback: skip');
    const found = await findingsOf(files, 'INP-003');
    expect(found.map((f) => f.path)).toEqual(['/inputs/0/id']);
    expect(found[0]?.message).toContain('defaults.fallback');
    expect(found[0]?.fix?.edits[0]?.newText).toBe('\n    fallback: use_cached');
    files = patch(
      files,
      'customer-orders/inputs.yaml',
      '    version: ">=1.0.0"\n',
      '    version: ">=1.0.0"\n    optional: true\n',
    );
    expect(await findingsOf(files, 'INP-003')).toEqual([]);
  });

  it('INP-004 reads files incrementally without a cursor_field', async () => {
    const files = patch(
      minimal(),
      'orders/inputs.yaml',
      'ingestion_strategy: full_refresh',
      'ingestion_strategy: incremental',
    );
    expect(await findingsOf(files, 'INP-004')).toEqual([]);
  });

  it('INP-004 needs primary_key for snapshot_diff, also without ingestion_config', async () => {
    const files = patch(
      minimal(),
      'orders/inputs.yaml',
      '    ingestion_strategy: full_refresh\n    ingestion_config:\n      path: orders.csv\n      format: csv\n',
      '    ingestion_strategy: snapshot_diff\n',
    );
    const found = await findingsOf(files, 'INP-004');
    expect(found.map((f) => [f.path, f.message])).toEqual([
      [
        '/inputs/0/ingestion_strategy',
        "connector input 'raw-orders' uses ingestion_strategy 'snapshot_diff' but ingestion_config has no primary_key",
      ],
    ]);
  });

  it('INP-002 reports connector settings on a data_product input', async () => {
    const files = patch(
      minimal(),
      'customer-orders/inputs.yaml',
      '    fallback: use_cached\n',
      '    fallback: use_cached\n    ingestion_strategy: full_refresh\n',
    );
    expect((await findingsOf(files, 'INP-002')).map((f) => f.path)).toEqual(['/inputs/1/ingestion_strategy']);
  });

  it('OUT-007 refuses hourly partitions of a date, and array partition fields', async () => {
    let files = patch(minimal(), 'orders/output.yaml', '    type: timestamp\n', '    type: date\n');
    files = append(
      files,
      'orders/output.yaml',
      '  - name: tags\n    type: array(string)\npartitioning:\n  - field: ordered_at\n    granularity: hour\n  - field: tags\n',
    );
    const found = await findingsOf(files, 'OUT-007');
    expect(found.map((f) => f.path)).toEqual(['/partitioning/0/granularity', '/partitioning/1/field']);
    expect(found[0]?.fix?.edits[0]?.newText).toBe('day');
  });

  it('OUT-002 and OUT-003 offer no fix when the key is ambiguous', async () => {
    const files = patch(minimal(), 'orders/output.yaml', '    primary_key: true\n    role: identity\n', '');
    const found = (await validate(files)).filter((f) => f.code === 'OUT-002' || f.code === 'OUT-003');
    expect(found.map((f) => [f.code, f.fix === undefined])).toEqual([
      ['OUT-002', true],
      ['OUT-003', true],
    ]);
  });

  it('SRV-006 warns about a key_template without placeholder and fixes it with the key', async () => {
    const files = append(
      minimal(),
      'orders/serving.yaml',
      '  - type: realtime\n    config:\n      key_template: "orders"\n',
    );
    const found = await findingsOf(files, 'SRV-006');
    expect(found.map((f) => f.message)).toEqual([
      "key_template 'orders' has no placeholder: every row is written to the same Redis key",
    ]);
    const fixed = await validate(applyFix(files, found[0]!.fix!));
    expect(fixed.filter((f) => f.code === 'SRV-006')).toEqual([]);
  });

  it('SRV-003 points inside the string even for single-quoted templates and several placeholders', async () => {
    const files = append(
      minimal(),
      'orders/serving.yaml',
      "  - type: realtime\n    config:\n      key_template: 'o:{order_id}:{custmer_id}:{x_y}'\n",
    );
    const found = await findingsOf(files, 'SRV-003');
    const text = files.get('orders/serving.yaml')!;
    const slices = found.map((f) => {
      const start = offsetOf(text, f.range.start.line, f.range.start.column);
      return text.slice(start, offsetOf(text, f.range.end.line, f.range.end.column));
    });
    expect(slices).toEqual(['{custmer_id}', '{x_y}']);
    expect(found[0]?.fix?.edits[0]?.newText).toBe('customer_id');
    expect(found[1]?.fix).toBeUndefined();
  });

  it('SRV-001 checks the keys of each endpoint type only', async () => {
    const files = append(
      minimal(),
      'orders/serving.yaml',
      '  - type: timeseries\n    config:\n      time_column: orderd_at\n  - type: lookup\n    config:\n      primary_key: [order_id]\n      history_mode: type_2\n      tracked_columns: [amount, status]\n',
    );
    expect((await findingsOf(files, 'SRV-001')).map((f) => f.path)).toEqual([
      '/endpoints/1/config/time_column',
      '/endpoints/2/config/tracked_columns/1',
    ]);
  });

  it('QUA-003 compares date bounds, QUA-007 checks bound kinds and freshness columns', async () => {
    const files = append(
      minimal(),
      'orders/quality.yaml',
      [
        '  - name: recent',
        '    type: range',
        '    config: { column: ordered_at, min: "2026-01-01", max: "2020-01-01" }',
        '  - name: amount_bounds',
        '    type: range',
        '    config: { column: amount, min: "2020-01-01", max: "100" }',
        '  - name: fresh',
        '    type: freshness',
        '    config: { column: order_id, max_age: 1d }',
        '',
      ].join('\n'),
    );
    const found = await validate(files);
    expect(found.filter((f) => f.code === 'QUA-003').map((f) => f.path)).toEqual(['/checks/2/config/min']);
    expect(found.filter((f) => f.code === 'QUA-007').map((f) => f.path)).toEqual([
      '/checks/3/config/min',
      '/checks/4/config/column',
    ]);
  });

  it('QUA-005 reports an unknown reference_column of an existing product', async () => {
    const files = append(
      minimal(),
      'orders/quality.yaml',
      '  - name: known_customer\n    type: referential\n    config: { column: customer_id, reference_product: customers, reference_column: customer }\n',
    );
    const found = await findingsOf(files, 'QUA-005');
    expect(found.map((f) => f.path)).toEqual(['/checks/2/config/reference_column']);
    expect(found[0]?.fix?.edits[0]?.newText).toBe('customer_id');
  });

  it('CMP-001 removes leftovers of an explicit event schedule', async () => {
    const files = patch(minimal(), 'orders/compute.yaml', 'type: cron', 'type: event');
    const found = await findingsOf(files, 'CMP-001');
    expect(found.map((f) => f.path)).toEqual(['/schedule/expression', '/schedule/timezone']);
    let fixed = files;
    for (const f of found.reverse()) fixed = applyFix(fixed, f.fix!);
    expect(fixed.get('orders/compute.yaml')).toBe(
      'apiVersion: akili/v1\nkind: Compute\nruntime: sql\nentrypoint: logic/transform.sql\nschedule:\n  type: event\n',
    );
  });

  it('CMP-002 refuses an entrypoint that is neither SQL nor Python', async () => {
    const files = patch(
      minimal(),
      'orders/compute.yaml',
      'entrypoint: logic/transform.sql',
      'entrypoint: logic/transform.txt',
    );
    expect((await findingsOf(files, 'CMP-002')).map((f) => f.path)).toEqual(['/entrypoint']);
  });

  it('CMP-004 reports a missing default entrypoint and offers the only logic file', async () => {
    let files = minimal();
    const moved = files.get('customer-orders/logic/transform.sql')!;
    files.delete('customer-orders/logic/transform.sql');
    files.set('customer-orders/logic/revenue.sql', moved);
    const found = await findingsOf(files, 'CMP-004');
    expect(found.map((f) => [f.path, f.fix?.edits[0]?.newText])).toEqual([
      ['/runtime', '\nentrypoint: logic/revenue.sql'],
    ]);
    files = applyFix(files, found[0]!.fix!);
    expect(await findingsOf(files, 'CMP-004')).toEqual([]);
  });

  it('CMP-005 warns about a timeout above 24h without cron, and not within the interval', async () => {
    let files = append(minimal(), 'customer-orders/compute.yaml', 'resources:\n  timeout: 2d\n');
    expect((await findingsOf(files, 'CMP-005')).map((f) => f.message)).toEqual([
      "resources.timeout '2d' is longer than 24h",
    ]);
    files = append(minimal(), 'orders/compute.yaml', 'resources:\n  timeout: 20h\n');
    expect(await findingsOf(files, 'CMP-005')).toEqual([]);
  });

  it('never throw on malformed manifests', async () => {
    const broken = new Map(minimal());
    broken.set(
      'orders/product.yaml',
      'apiVersion: akili/v1\nkind: DataProduct\nmetadata: [1, 2]\nversioning: 5\nretention: {review_date: 7}\n',
    );
    broken.set(
      'orders/inputs.yaml',
      'apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - 1\n  - null\n  - {id: 5}\n  - {id: x, type: connector, ingestion_strategy: incremental, ingestion_config: [1]}\ndefaults: []\n',
    );
    broken.set(
      'orders/output.yaml',
      'apiVersion: akili/v1\nkind: Output\nschema:\n  - name: 1\n  - {name: a, type: 5, role: measure, classification: 3}\n  - [x]\npartitioning: {field: a}\n',
    );
    broken.set(
      'orders/serving.yaml',
      'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - null\n  - {type: realtime, config: {key_template: 5}}\n  - {type: lookup, config: []}\n  - {type: timeseries, config: {time_column: [a]}}\n',
    );
    broken.set(
      'orders/quality.yaml',
      'apiVersion: akili/v1\nkind: Quality\nchecks:\n  - {type: range, config: x}\n  - {name: [a], type: volume, config: {min_rows: a, max_rows: 1}}\n  - {type: custom_sql, sql: 5}\n  - {type: custom_python, entrypoint: {a: 1}}\n  - {type: referential, config: {reference_product: 3}}\n',
    );
    broken.set(
      'orders/compute.yaml',
      'apiVersion: akili/v1\nkind: Compute\nruntime: 5\nentrypoint: [a]\nschedule: []\nresources: {timeout: x}\nrequirements: pandas\n',
    );
    broken.set('customers/output.yaml', '');
    broken.set('customers/inputs.yaml', '- a\n- b\n');
    broken.set('customers/quality.yaml', 'checks: [');
    await expect(validate(broken)).resolves.toBeDefined();
  });
});
