import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { LangiumCheckExpressions } from '../../platform-core/src/adapters/langium/langium-check-expressions.js';
import { runQualityGate } from '../../platform-core/src/application/quality/run-quality-gate.js';
import { runSqlCheck } from '../../platform-core/src/application/quality/sql-check.js';
import type { QualityCheckPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import type { CheckEngine, CheckSession } from '../../platform-core/src/ports/check-engine.js';
import { planCheck, writeCheckSnapshots } from './support/parquet.js';

/**
 * The gate measures all aggregate checks in one scan and fetches samples only for failing
 * checks; every outcome equals what the check's own plan SQL gives.
 */
let dir: string;
let output: string;
let stores: string;
const expressions = new LangiumCheckExpressions();
const duck = new DuckDbCheckEngine();

/** The real check engine, recording every statement the gate runs. */
function recording(log: string[], keyed: string[] = []): CheckEngine {
  return {
    async open(relations, limits, signal) {
      const session = await duck.open(relations, limits, signal);
      return {
        query: (sql, s, options) => {
          log.push(sql);
          if (options?.keyGrouping) keyed.push(sql);
          return session.query(sql, s, options);
        },
        stream: (sql, batchRows, s) => session.stream(sql, batchRows, s),
        close: () => session.close(),
      } satisfies CheckSession;
    },
  };
}

const checks: QualityCheckPlan[] = [
  planCheck('complete', 'completeness', { column: 'store_id', threshold: 0.9 }),
  planCheck('complete_ok', 'completeness', { column: 'id' }),
  planCheck('fresh', 'freshness', { column: 'updated_at', max_age: '30m' }, { severity: 'warn' }),
  planCheck('volume', 'volume', { min_rows: 1, max_rows: 10 }),
  planCheck('unique', 'uniqueness', { columns: ['id'] }),
  planCheck('range', 'range', { column: 'qty', min: 0, max: 10 }),
  planCheck('range_ok', 'range', { column: 'qty', min: -5 }),
  planCheck('accepted', 'accepted_values', { column: 'status', values: ['open', 'closed'] }),
  planCheck('regex', 'regex', { column: 'code', pattern: '^[A-Z]{3}$' }),
  planCheck('expr', 'custom_expression', { expression: 'qty > 0', threshold: 0.8 }),
  planCheck('ref', 'referential', { column: 'store_id', reference_product: 'stores', reference_column: 'store_id' }),
  planCheck('sql', 'custom_sql', {}, { sql: 'SELECT MAX(qty) AS top FROM {output}', expect: 'top > 100' }),
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hekima-one-scan-'));
  ({ output, stores } = await writeCheckSnapshots(dir));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the quality gate scans the snapshot once for its aggregate checks', () => {
  it('gives every check the outcome its own SQL gives (measured, threshold, status, message, samples)', async () => {
    const gate = await runQualityGate(
      { checkEngine: duck, expressions },
      { checks, outputPath: output, references: { stores } },
    );
    const session = await duck.open([
      { name: 'output', path: output },
      { name: 'reference:stores', path: stores },
    ]);
    try {
      for (const [i, check] of checks.entries()) {
        const alone = await runSqlCheck(check, session, expressions);
        const got = gate.checks[i]!;
        expect(got.name).toBe(check.name);
        if (check.type === 'freshness') {
          expect(got.status).toBe(alone.status);
          expect(Math.abs(Number(got.measured) - Number(alone.measured))).toBeLessThan(5);
          continue;
        }
        expect({ ...got, samples: got.samples }, check.name).toMatchObject({
          status: alone.status,
          measured: alone.measured,
          threshold: alone.threshold,
          message: alone.message,
          samples: alone.samples,
        });
      }
    } finally {
      session.close();
    }
    expect(gate.checks.map((c) => c.status)).toEqual([
      'failed',
      'passed',
      'failed',
      'passed',
      'failed',
      'failed',
      'passed',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('runs one aggregate statement, then samples for the failing checks only', async () => {
    const log: string[] = [];
    const aggregates = checks.filter((c) =>
      ['completeness', 'freshness', 'volume', 'range', 'accepted_values', 'regex', 'custom_expression'].includes(
        c.type,
      ),
    );
    const gate = await runQualityGate(
      { checkEngine: recording(log), expressions },
      { checks: aggregates, outputPath: output },
    );
    const failing = gate.checks.filter((c) => c.status === 'failed');
    const withSamples = aggregates.filter((c) => failing.some((f) => f.name === c.name) && c.samples_sql);
    expect(log).toHaveLength(1 + withSamples.length);
    expect(log[0]).toMatch(/^SELECT\n {2}measured_0/);
    expect(log.slice(1)).toEqual(withSamples.map((c) => c.samples_sql));
    expect(gate.checks.filter((c) => c.status === 'passed').map((c) => c.name)).toEqual([
      'complete_ok',
      'volume',
      'range_ok',
    ]);
  });

  it('a check that cannot run is an error on its own; the others keep their measures', async () => {
    const log: string[] = [];
    const gate = await runQualityGate(
      { checkEngine: recording(log), expressions },
      {
        checks: [
          planCheck('volume', 'volume', { min_rows: 1 }),
          planCheck('bad', 'regex', { column: 'no_such_column', pattern: 'x' }),
          planCheck('range', 'range', { column: 'qty', min: 0 }),
        ],
        outputPath: output,
      },
    );
    expect(gate.checks.map((c) => [c.name, c.status, c.measured])).toEqual([
      ['volume', 'passed', 4],
      ['bad', 'error', null],
      ['range', 'failed', 1],
    ]);
    expect(gate.checks[1]!.message).toMatch(/no_such_column/);
  });

  it('groups by key on the verifier only for generated uniqueness checks, never for custom SQL', async () => {
    const log: string[] = [];
    const keyed: string[] = [];
    const unique = planCheck('unique', 'uniqueness', { columns: ['id'] });
    const custom = planCheck(
      'sql',
      'custom_sql',
      {},
      {
        sql: 'SELECT COUNT(*) AS n FROM (SELECT id FROM {output} GROUP BY id)',
        expect: 'n = 3',
      },
    );
    const edited: QualityCheckPlan = { ...planCheck('u2', 'uniqueness', { columns: ['id'] }), sql: custom.sql! };
    const gate = await runQualityGate(
      { checkEngine: recording(log, keyed), expressions },
      { checks: [unique, custom, edited], outputPath: output },
    );
    expect(gate.checks[0]).toMatchObject({ status: 'failed', measured: 1, samples: [{ id: 2, occurrences: '2' }] });
    expect(gate.checks[1]).toMatchObject({ status: 'passed' });
    expect(keyed).toEqual([unique.sql, unique.samples_sql]);
    expect(log).toContain(custom.sql);
  });

  it('a plan whose SQL is not the generator’s runs that SQL', async () => {
    const edited: QualityCheckPlan = {
      ...planCheck('c', 'completeness', { column: 'id' }),
      sql: 'SELECT 0.25 AS measured, FALSE AS passed',
    };
    const gate = await runQualityGate({ checkEngine: duck, expressions }, { checks: [edited], outputPath: output });
    expect(gate.checks[0]).toMatchObject({ status: 'failed', measured: 0.25 });
  });

  it('does not re-run a uniqueness check over the primary key the engine verified; other keys still run', async () => {
    const log: string[] = [];
    const onKey = planCheck('unique_key', 'uniqueness', { columns: ['id', 'store_id'] });
    const onOther = planCheck('unique_status', 'uniqueness', { columns: ['status'] });
    const partial = planCheck('unique_store', 'uniqueness', { columns: ['store_id'] });
    const edited: QualityCheckPlan = {
      ...planCheck('edited', 'uniqueness', { columns: ['id'] }),
      sql: 'SELECT 7 AS measured, FALSE AS passed',
    };
    const gate = await runQualityGate(
      { checkEngine: recording(log), expressions },
      { checks: [onKey, onOther, partial, edited], outputPath: output, uniqueKey: ['id'] },
    );
    expect(gate.checks[0]).toMatchObject({ status: 'passed', measured: 0, threshold: 0, samples: [] });
    expect(gate.checks[0]!.message).toMatch(/primary key, verified when the snapshot was written/);
    expect(log).not.toContain(onKey.sql);
    // The file does repeat status values and store ids: those checks ran and failed.
    expect(gate.checks[1]).toMatchObject({ status: 'failed', measured: 1 });
    expect(gate.checks[2]).toMatchObject({ status: 'passed' });
    expect(log).toContain(onOther.sql);
    expect(log).toContain(partial.sql);
    // A plan whose SQL is not the generator's runs as written, key or not.
    expect(gate.checks[3]).toMatchObject({ status: 'failed', measured: 7 });
  });
});
