import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { WorkerPool } from '../../platform-core/src/application/executions/worker-pool.js';
import { SystemClock } from '../../platform-core/src/adapters/system/system-clock.js';
import { PostgresWorkerRegistry } from '../../platform-core/src/adapters/postgres/executions/postgres-worker-registry.js';
import { akoScorePolicy } from '../../platform-core/src/domain/execution/placement.js';
import type { StepPlan } from '../../platform-core/src/ports/execution-handler.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct } from './support/seed.js';
import { TEST_TABLES, silentLogger, testHandler, testRunner } from './support/step-functions.js';
import { stateCounts, waitFor } from './support/harness.js';

// Embedded mode: one in-memory PGlite database, an in-process pool of workers.
let t: TestCatalog;
let tenantId: string;
let productId: string;
let versionId: string;
const plan: StepPlan[] = [
  { name: 'extract', phase: 'run', kind: 'write' },
  { name: 'transform', phase: 'run', kind: 'sleep', params: { ms: 5 } },
  { name: 'quality', phase: 'check', kind: 'noop' },
  { name: 'publish', phase: 'promote', kind: 'noop' },
];

beforeAll(async () => {
  t = await openPgliteCatalog();
  await t.db.admin.transaction((sql) => sql.exec(TEST_TABLES));
  tenantId = await activeTenant(t.catalog, 'embedded-pool');
  ({ productId, versionId } = await deployProduct(t.catalog, tenantId, 'daily-sales'));
});
afterAll(() => t.cleanup());

describe('embedded mode: an in-process worker pool on PGlite', () => {
  it('drains executions exactly once, through every phase, and ignores duplicate triggers', async () => {
    const queue = new PostgresExecutionQueue(t.db);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const key = `${versionId}:2026-11-${String(1 + (i % 30)).padStart(2, '0')}:${i}`;
      const { execution, created } = await queue.submit(tenantId, {
        productId,
        productVersionId: versionId,
        trigger: 'event',
        idempotencyKey: key,
        windowId: key,
      });
      expect(created).toBe(true);
      ids.push(execution.id);
      if (i % 6 === 0) {
        const again = await queue.submit(tenantId, {
          productId,
          productVersionId: versionId,
          trigger: 'event',
          idempotencyKey: key,
        });
        expect(again).toMatchObject({ created: false, execution: { id: execution.id } });
      }
    }
    const stop = new AbortController();
    const pool = new WorkerPool({
      baseId: 'embedded',
      size: 3,
      hostname: 'test',
      pid: process.pid,
      queue,
      registry: new PostgresWorkerRegistry(t.db),
      handler: testHandler({ [productId]: plan }),
      runner: testRunner(t.db, 'pool'),
      placement: akoScorePolicy(0.5),
      capacity: { cpuMillis: 12_000, memoryBytes: 12 * 2 ** 30 },
      concurrency: 2,
      logger: silentLogger,
      clock: new SystemClock(),
      // Long enough that a loaded machine's stalls never expire a live lease: this test is about a
      // normal run (expiry and takeover are the multi-process suite's).
      leaseMs: 10_000,
      pollMs: 100,
    });
    const running = pool.run(stop.signal);
    await waitFor(async () => (await stateCounts(t.db, ids)).succeeded === 60, 30_000, '60 executions to succeed');
    stop.abort();
    await running;

    const runs = await t.db.admin.transaction(
      async (sql) =>
        (
          await sql.query(
            `SELECT count(*) AS runs, count(DISTINCT (execution_id, step)) AS distinct_runs FROM test_step_runs WHERE execution_id = ANY($1::uuid[])`,
            [ids],
          )
        ).rows[0],
    );
    expect(runs).toEqual({ runs: '240', distinct_runs: '240' });
    const effects = await t.db.admin.transaction(
      async (sql) =>
        (await sql.query('SELECT count(*) AS n FROM test_effects WHERE execution_id = ANY($1::uuid[])', [ids])).rows[0],
    );
    expect(effects).toEqual({ n: '60' });

    const scoped = t.catalog.forTenant(tenantId);
    const transitions = await scoped.executions.transitions(ids[7]!);
    expect(transitions.map((x) => x.to)).toEqual(['pending', 'ready', 'running', 'checking', 'promoting', 'succeeded']);
    expect(transitions.every((x) => x.reason && x.at)).toBe(true);
    const steps = await scoped.executions.steps(ids[7]!);
    expect(steps.map((s) => [s.name, s.state, s.ordinal])).toEqual([
      ['extract', 'succeeded', 1],
      ['transform', 'succeeded', 2],
      ['quality', 'succeeded', 3],
      ['publish', 'succeeded', 4],
    ]);
    expect(steps.every((s) => s.durationMs !== undefined && s.startedAt && s.finishedAt)).toBe(true);
    const claimers = await t.db.admin.transaction(
      async (sql) =>
        (
          await sql.query(
            `SELECT count(DISTINCT reason) AS n FROM execution_transitions WHERE to_state = 'running' AND execution_id = ANY($1::uuid[])`,
            [ids],
          )
        ).rows[0],
    );
    expect(Number(claimers!['n'])).toBeGreaterThan(1); // the pool shared the work
    const workers = await t.db.admin.transaction(
      async (sql) =>
        (await sql.query(`SELECT id, stopped_at FROM workers WHERE id LIKE 'embedded-%' ORDER BY id`)).rows,
    );
    expect(workers.map((w) => w['id'])).toEqual(['embedded-1', 'embedded-2', 'embedded-3']);
    expect(workers.every((w) => w['stopped_at'] instanceof Date)).toBe(true);
  });
});
