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

describe('sample masking by column classification and clearance', () => {
  const samplesFor = async (clearance: string | undefined) => {
    const gate = await runQualityGate(deps, {
      checks: [negative],
      outputPath: output,
      columnClassifications: columns,
      productClassification: 'confidential',
      ...(clearance !== undefined ? { clearance } : {}),
    });
    return gate.checks[0]!.samples;
  };

  it('shows every column to a restricted viewer', async () => {
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
  it('masks a classified column selected by a custom_sql row, and reports each check', async () => {
    const seen: string[] = [];
    const gate = await runQualityGate(deps, {
      checks: [
        planCheck(
          'leaky',
          'custom_sql',
          {},
          { sql: 'SELECT MAX(email) AS email, COUNT(*) AS failures FROM {output}', expect: 'failures = 2' },
        ),
      ],
      outputPath: output,
      columnClassifications: columns,
      clearance: 'internal',
      onCheck: (o, i, n) => seen.push(`${i + 1}/${n} ${o.name} ${o.status}`),
    });
    expect(gate.checks[0]!.measured).toEqual({ email: MASKED, failures: 2 });
    expect(seen).toEqual(['1/1 leaky passed']);
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
      columnClassifications: columns,
      clearance: 'internal',
    });
    expect(gate.promote).toBe(false);
    expect(gate.score).toBeCloseTo(33.33, 2);
    expect(gate.blockingFailures.map((c) => [c.name, c.measured])).toEqual([
      ['amount_positive', 1],
      ['u', 1],
    ]);
    let thrown: unknown;
    try {
      assertGatePassed('customers', gate);
    } catch (e) {
      thrown = e;
    }
    expect(isHekimaError(thrown) && thrown.kind).toBe('QualityGateFailed');
    expect(isHekimaError(thrown) && thrown.retryable).toBe(false);
    const details = (thrown as { details: { failures: { name: string; samples: unknown[] }[] } }).details;
    expect(details.failures.map((f) => f.name)).toEqual(['amount_positive', 'u']);
    expect(details.failures[0]!.samples).toEqual([{ customer_id: 'C1', email: MASKED, segment: MASKED, amount: -5 }]);

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
