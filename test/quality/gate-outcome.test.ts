import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { LangiumCheckExpressions } from '../../platform-core/src/adapters/langium/langium-check-expressions.js';
import { assertGatePassed, runQualityGate } from '../../platform-core/src/application/quality/run-quality-gate.js';
import { isHekimaError } from '../../platform-core/src/domain/errors.js';
import { downstreamSkips } from '../../platform-core/src/domain/quality/downstream-skips.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { maskOutcome } from '../../platform-core/src/domain/quality/result-masking.js';
import { planCheck, writeParquet } from './support/parquet.js';

let dir: string;
let output: string;
const deps = { checkEngine: new DuckDbCheckEngine(), expressions: new LangiumCheckExpressions() };
const columns = { customer_id: 'internal', email: 'restricted', segment: 'confidential', amount: 'public' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hekima-gate-'));
  output = await writeParquet(
    join(dir, 'output.parquet'),
    `SELECT * FROM (VALUES ('C1', 'a@x.io', 'gold', -5), ('C2', 'b@x.io', 'gold', 10)) AS t(customer_id, email, segment, amount)`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const negative = planCheck('amount_positive', 'range', { column: 'amount', min: 0 });

const classification = { product: 'confidential', columns };

describe('the gate stores results as they are; readers are masked per their own clearance', () => {
  const samplesFor = async (clearance: string | undefined) => {
    const gate = await runQualityGate(deps, { checks: [negative], outputPath: output });
    expect(gate.checks[0]!.samples).toEqual([{ customer_id: 'C1', email: 'a@x.io', segment: 'gold', amount: -5 }]);
    return maskOutcome(gate.checks[0]!, classification, clearance).outcome.samples;
  };

  it('shows every column to a restricted reader', async () => {
    expect(await samplesFor('restricted')).toEqual([
      { customer_id: 'C1', email: 'a@x.io', segment: 'gold', amount: -5 },
    ]);
  });

  it('masks columns classified above the clearance', async () => {
    expect(await samplesFor('internal')).toEqual([{ customer_id: 'C1', email: MASKED, segment: MASKED, amount: -5 }]);
    expect(await samplesFor('confidential')).toEqual([
      { customer_id: 'C1', email: MASKED, segment: 'gold', amount: -5 },
    ]);
  });

  it('fails closed: an unknown or absent clearance sees only public columns', async () => {
    const publicOnly = [{ customer_id: MASKED, email: MASKED, segment: MASKED, amount: -5 }];
    expect(await samplesFor(undefined)).toEqual(publicOnly);
    expect(await samplesFor('superuser')).toEqual(publicOnly);
  });
});

describe('custom_sql result rows and progress', () => {
  const leak = (alias: string) =>
    planCheck(
      'leaky',
      'custom_sql',
      {},
      {
        sql: `SELECT string_agg(email, ',') AS ${alias}, COUNT(*) AS failures FROM {output}`,
        expect: 'failures = 0',
      },
    );

  it("custom_sql values carry the product's highest column level, whatever their alias", async () => {
    const seen: string[] = [];
    const gate = await runQualityGate(deps, {
      checks: [leak('city')],
      outputPath: output,
      onCheck: (o, i, n) => seen.push(`${i + 1}/${n} ${o.name} ${o.status}`),
    });
    expect(seen).toEqual(['1/1 leaky failed']);
    const raw = gate.checks[0]!;
    expect(JSON.stringify(raw)).toContain('a@x.io');
    for (const clearance of ['public', 'internal', 'confidential']) {
      const { outcome, masked } = maskOutcome(raw, classification, clearance);
      expect(JSON.stringify(outcome), clearance).not.toContain('x.io');
      expect(outcome.measured).toEqual({ city: MASKED, failures: MASKED });
      expect(masked).toEqual(expect.arrayContaining(['measured', 'message']));
    }
    expect(maskOutcome(raw, classification, 'restricted').outcome.measured).toEqual({
      city: 'a@x.io,b@x.io',
      failures: 2,
    });
    // No column classified: the product's own level.
    expect(maskOutcome(raw, { product: 'internal', columns: {} }, 'internal').outcome.measured).toMatchObject({
      failures: 2,
    });
    expect(maskOutcome(raw, { product: 'internal', columns: {} }, 'public').outcome.measured).toEqual({
      city: MASKED,
      failures: MASKED,
    });
  });
});

describe('blocking vs warn', () => {
  it('a failing warn check is recorded and the snapshot is still promoted', async () => {
    const gate = await runQualityGate(deps, {
      checks: [{ ...negative, severity: 'warn' }, planCheck('rows', 'volume', { min_rows: 1 })],
      outputPath: output,
    });
    expect(gate).toMatchObject({ promote: true, score: 50, blockingFailures: [] });
    expect(gate.warnings.map((c) => c.name)).toEqual(['amount_positive']);
    expect(() => assertGatePassed('customers', gate)).not.toThrow();
    expect(downstreamSkips('customers', gate, [{ name: 'clv', upstream: ['customers'] }])).toEqual([]);
  });

  it('a failing error check blocks promotion with QualityGateFailed and skips every downstream product', async () => {
    const gate = await runQualityGate(deps, {
      checks: [
        negative,
        planCheck('rows', 'volume', { min_rows: 1 }),
        planCheck('u', 'uniqueness', { columns: ['segment'] }),
      ],
      outputPath: output,
    });
    expect(gate.promote).toBe(false);
    expect(gate.score).toBeCloseTo(33.33, 2);
    expect(gate.blockingFailures.map((c) => [c.name, c.measured])).toEqual([
      ['amount_positive', 1],
      ['u', 1],
    ]);
    let thrown: unknown;
    try {
      assertGatePassed('customers', gate, classification);
    } catch (e) {
      thrown = e;
    }
    expect(isHekimaError(thrown) && thrown.kind).toBe('QualityGateFailed');
    expect(isHekimaError(thrown) && thrown.retryable).toBe(false);
    const details = (thrown as { details: { failures: { name: string; samples: unknown[] }[] } }).details;
    expect(details.failures.map((f) => f.name)).toEqual(['amount_positive', 'u']);
    // The error travels (execution row, logs, CLI output): masked as for a public reader.
    expect(details.failures[0]!.samples).toEqual([{ customer_id: MASKED, email: MASKED, segment: MASKED, amount: -5 }]);

    const graph = [
      { name: 'customers', upstream: [] },
      { name: 'clv', upstream: ['customers', 'orders'] },
      { name: 'dashboard', upstream: ['clv'] },
      { name: 'orders', upstream: [] },
    ];
    const skips = downstreamSkips('customers', gate, graph);
    expect(skips.map((s) => [s.product, s.path])).toEqual([
      ['clv', ['customers', 'clv']],
      ['dashboard', ['customers', 'clv', 'dashboard']],
    ]);
    expect(skips[1]!.reason).toBe(
      'skipped: upstream customers failed its quality gate (amount_positive, u); path customers → clv → dashboard',
    );
  });
});

describe('cancellation', () => {
  it('an aborted signal stops the gate with a Cancelled error', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runQualityGate(deps, { checks: [negative], outputPath: output, signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'Cancelled' });
  });
});
