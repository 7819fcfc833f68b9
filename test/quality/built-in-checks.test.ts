import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { LangiumCheckExpressions } from '../../platform-core/src/adapters/langium/langium-check-expressions.js';
import { runQualityGate } from '../../platform-core/src/application/quality/run-quality-gate.js';
import type { CheckOutcome } from '../../platform-core/src/domain/quality/quality-result.js';
import { planCheck, writeCheckSnapshots } from './support/parquet.js';

/** Every built-in check type, passing and failing, over small hand-made snapshots. */
let dir: string;
let output: string;
let stores: string;
const deps = { checkEngine: new DuckDbCheckEngine(), expressions: new LangiumCheckExpressions() };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hekima-quality-'));
  ({ output, stores } = await writeCheckSnapshots(dir));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function one(check: ReturnType<typeof planCheck>): Promise<CheckOutcome> {
  const gate = await runQualityGate(deps, {
    checks: [check],
    outputPath: output,
    references: { stores },
  });
  return gate.checks[0]!;
}

describe('built-in checks over a snapshot', () => {
  it('completeness measures the non-null fraction', async () => {
    const pass = await one(planCheck('c', 'completeness', { column: 'store_id', threshold: 0.75 }));
    expect(pass).toMatchObject({ status: 'passed', measured: 0.75, threshold: 0.75, samples: [] });
    const fail = await one(planCheck('c', 'completeness', { column: 'store_id', threshold: 0.9 }));
    expect(fail).toMatchObject({ status: 'failed', measured: 0.75, threshold: 0.9 });
    expect(fail.samples).toEqual([expect.objectContaining({ id: 4, store_id: null })]);
    expect(fail.message).toContain('0.75 of store_id is non-null, expected ≥ 0.9');
  });

  it('freshness measures the age of the newest value in seconds', async () => {
    const pass = await one(planCheck('f', 'freshness', { column: 'updated_at', max_age: '2h' }));
    expect(pass.status).toBe('passed');
    expect(pass.measured).toBeGreaterThanOrEqual(3599);
    expect(pass.measured).toBeLessThan(3700);
    const fail = await one(planCheck('f', 'freshness', { column: 'updated_at', max_age: '30m' }));
    expect(fail).toMatchObject({ status: 'failed', threshold: { max_age: '30m' } });
    expect(fail.measured).toBeGreaterThanOrEqual(3599);
  });

  it('volume measures the row count', async () => {
    expect(await one(planCheck('v', 'volume', { min_rows: 1, max_rows: 10 }))).toMatchObject({
      status: 'passed',
      measured: 4,
    });
    expect(await one(planCheck('v', 'volume', { min_rows: 5 }))).toMatchObject({
      status: 'failed',
      measured: 4,
      threshold: { min_rows: 5 },
    });
    expect(await one(planCheck('v', 'volume', { max_rows: 3 }))).toMatchObject({ status: 'failed', measured: 4 });
  });

  it('uniqueness counts duplicated combinations, with the duplicates as samples', async () => {
    expect(await one(planCheck('u', 'uniqueness', { columns: ['id', 'status'] }))).toMatchObject({
      status: 'passed',
      measured: 0,
    });
    const fail = await one(planCheck('u', 'uniqueness', { columns: ['id'] }));
    expect(fail).toMatchObject({ status: 'failed', measured: 1, threshold: 0 });
    expect(fail.samples).toEqual([{ id: 2, occurrences: '2' }]);
  });

  it('range counts the rows outside the bounds', async () => {
    expect(await one(planCheck('r', 'range', { column: 'qty', min: -5, max: 20 }))).toMatchObject({
      status: 'passed',
      measured: 0,
    });
    const fail = await one(planCheck('r', 'range', { column: 'qty', min: 0, max: 10 }));
    expect(fail).toMatchObject({ status: 'failed', measured: 2, threshold: { min: 0, max: 10 } });
    expect(fail.samples.map((r) => r['qty']).sort()).toEqual([-1, 12]);
  });

  it('accepted_values counts the rows with another value (NULL is accepted)', async () => {
    const values = ['open', 'closed', 'gone'];
    expect(await one(planCheck('a', 'accepted_values', { column: 'status', values }))).toMatchObject({
      status: 'passed',
      measured: 0,
    });
    const fail = await one(planCheck('a', 'accepted_values', { column: 'status', values: ['open', 'closed'] }));
    expect(fail).toMatchObject({ status: 'failed', measured: 1, threshold: { values: ['open', 'closed'] } });
    expect(fail.samples).toEqual([expect.objectContaining({ status: 'gone' })]);
  });

  it('regex counts non-null values that do not match', async () => {
    expect(await one(planCheck('x', 'regex', { column: 'code', pattern: '^[A-Za-z]{3}$' }))).toMatchObject({
      status: 'passed',
      measured: 0,
    });
    const fail = await one(planCheck('x', 'regex', { column: 'code', pattern: '^[A-Z]{3}$' }));
    expect(fail).toMatchObject({ status: 'failed', measured: 1 });
    expect(fail.samples).toEqual([expect.objectContaining({ code: 'abc' })]);
  });

  it('referential reads the referenced product as `reference:<product>`', async () => {
    const config = { column: 'store_id', reference_product: 'stores', reference_column: 'store_id' };
    const fail = await one(planCheck('ref', 'referential', config));
    expect(fail).toMatchObject({
      status: 'failed',
      measured: 1,
      threshold: { reference_product: 'stores', reference_column: 'store_id' },
    });
    expect(fail.samples).toEqual([expect.objectContaining({ store_id: 'S9' })]);
    const pass = await runQualityGate(deps, {
      checks: [planCheck('ref', 'referential', { ...config, column: 'store_id' })],
      outputPath: stores,
      references: { stores },
    });
    expect(pass.checks[0]).toMatchObject({ status: 'passed', measured: 0 });
  });

  it('referential without a committed reference snapshot is an error, not a pass', async () => {
    const gate = await runQualityGate(deps, {
      checks: [
        planCheck('ref', 'referential', { column: 'store_id', reference_product: 'nowhere', reference_column: 'id' }),
      ],
      outputPath: output,
    });
    expect(gate.checks[0]).toMatchObject({ status: 'error', blocking: true });
    expect(gate.checks[0]!.message).toContain('nowhere has no committed snapshot');
    expect(gate.promote).toBe(false);
  });

  it('custom_expression measures the fraction of rows satisfying the expression', async () => {
    expect(await one(planCheck('e', 'custom_expression', { expression: 'qty > 0', threshold: 0.75 }))).toMatchObject({
      status: 'passed',
      measured: 0.75,
    });
    const fail = await one(planCheck('e', 'custom_expression', { expression: 'qty > 0', threshold: 0.8 }));
    expect(fail).toMatchObject({ status: 'failed', measured: 0.75, threshold: 0.8 });
    expect(fail.samples).toEqual([expect.objectContaining({ qty: -1 })]);
  });

  it('a check whose SQL cannot run is an error (failing), with the engine message', async () => {
    const bad = await one(planCheck('bad', 'range', { column: 'no_such_column', min: 0 }));
    expect(bad.status).toBe('error');
    expect(bad.message).toMatch(/no_such_column/);
  });
});
