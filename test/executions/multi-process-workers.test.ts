import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import type { StepPlan } from '../../platform-core/src/ports/execution-handler.js';
import { TEST_DATABASE_URL, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { TEST_TABLES } from './support/step-functions.js';
import { stateCounts, waitFor } from './support/harness.js';
import { spawnWorker, type WorkerProcess } from './support/worker-process.js';

// Server mode, for real: `hekima worker` processes (from the build) against the shared PostgreSQL.
let t: TestCatalog;
let tenantId: string;
let queue: PostgresExecutionQueue;
const plans: Record<string, StepPlan[]> = {};
const spawned: WorkerProcess[] = [];
const products: Record<string, SeededProduct> = {};

beforeAll(async () => {
  t = await openPostgresCatalog('multiproc');
  await t.db.admin.transaction((sql) => sql.exec(TEST_TABLES));
  tenantId = await activeTenant(t.catalog, 'multi-process');
  queue = new PostgresExecutionQueue(t.db);
  const define = async (name: string, steps: StepPlan[]) => {
    products[name] = await deployProduct(t.catalog, tenantId, name);
    plans[products[name].productId] = steps;
  };
  await define('fast', [
    { name: 'extract', phase: 'run', kind: 'write' },
    { name: 'transform', phase: 'run', kind: 'sleep', params: { ms: 2 } },
    { name: 'quality', phase: 'check', kind: 'noop' },
    { name: 'publish', phase: 'promote', kind: 'noop' },
  ]);
  await define('slow', [
    { name: 'extract', phase: 'run', kind: 'write' },
    { name: 'transform', phase: 'run', kind: 'sleep', params: { ms: 40 } },
    { name: 'quality', phase: 'check', kind: 'sleep', params: { ms: 5 } },
    { name: 'publish', phase: 'promote', kind: 'noop' },
  ]);
  await define('suicidal', [
    { name: 'extract', phase: 'run', kind: 'write' },
    { name: 'explode', phase: 'run', kind: 'crash' },
    { name: 'publish', phase: 'promote', kind: 'noop' },
  ]);
});

// A test that fails half-way must not leave its workers running: they would claim the next test's work.
async function stopSpawned(): Promise<void> {
  const alive = spawned.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  for (const w of alive) w.child.kill('SIGKILL');
  await Promise.all(alive.map((w) => w.exited));
}

afterEach(stopSpawned);

afterAll(async () => {
  await stopSpawned();
  await t?.cleanup();
});

const env = () => ({ url: TEST_DATABASE_URL, schema: t.db.schema, plans });
/**
 * Leases: long where no lease may expire (on a loaded 2-core machine a 1 s lease can lapse between
 * heartbeats, which the exactly-once assertions would rightly count as a resume), short where the
 * test waits for one to expire. Waits are derived from them.
 */
const LONG_LEASE_MS = 15_000;
const SHORT_LEASE_MS = 2_000;
async function start(id: string, sensor = false, leaseMs = SHORT_LEASE_MS): Promise<WorkerProcess> {
  const w = await spawnWorker(id, env(), ['--concurrency', '4'], sensor, `${leaseMs}ms`);
  spawned.push(w);
  return w;
}
async function submitMany(p: SeededProduct, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}-${i}`;
    ids.push(
      (
        await queue.submit(tenantId, {
          productId: p.productId,
          productVersionId: p.versionId,
          trigger: 'event',
          idempotencyKey: key,
          windowId: key,
        })
      ).execution.id,
    );
  }
  return ids;
}
const rows = (text: string, params: unknown[] = []) =>
  t.db.admin.transaction(async (sql) => (await sql.query(text, params as never)).rows);

// Generous per-test bounds: the waits inside are on observable states, these only catch a hang.
describe('two worker processes on PostgreSQL (hekima worker, built)', { timeout: 300_000 }, () => {
  it('drain 200 executions, each exactly once', async () => {
    const [a, b] = await Promise.all([start('proc-a', true, LONG_LEASE_MS), start('proc-b', false, LONG_LEASE_MS)]); // a also runs the sensors
    const ids = await submitMany(products['fast']!, 200, 'drain');
    await waitFor(async () => (await stateCounts(t.db, ids)).succeeded === 200, 120_000, '200 executions');
    const runs = await rows(
      `SELECT execution_id, step, count(*) AS n FROM test_step_runs WHERE execution_id = ANY($1::uuid[]) GROUP BY 1, 2`,
      [ids],
    );
    expect(runs).toHaveLength(800);
    expect(runs.filter((r) => r['n'] !== '1')).toEqual([]);
    expect(
      await rows(
        'SELECT count(*) AS n, count(DISTINCT execution_id) AS d FROM test_effects WHERE execution_id = ANY($1::uuid[])',
        [ids],
      ),
    ).toEqual([{ n: '200', d: '200' }]);
    const byWorker = await rows(
      `SELECT worker, count(DISTINCT execution_id) AS n FROM test_step_runs WHERE execution_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [ids],
    );
    expect(byWorker.map((r) => r['worker'])).toEqual(['proc-a', 'proc-b']);
    expect(byWorker.reduce((s, r) => s + Number(r['n']), 0)).toBe(200);
    expect(
      await rows(`SELECT count(*) AS n FROM executions WHERE id = ANY($1::uuid[]) AND (resumes > 0 OR attempt <> 1)`, [
        ids,
      ]),
    ).toEqual([{ n: '0' }]);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(
      await rows(`SELECT id FROM workers WHERE id IN ('proc-a-1', 'proc-b-1') AND stopped_at IS NOT NULL ORDER BY id`),
    ).toEqual([{ id: 'proc-a-1' }, { id: 'proc-b-1' }]);
  });

  it('kill -9 of one worker mid-run loses and duplicates nothing: the other resumes after lease expiry', async () => {
    const [victim, survivor] = await Promise.all([start('victim'), start('survivor')]);
    const ids = await submitMany(products['slow']!, 200, 'kill');
    await waitFor(
      async () => (await stateCounts(t.db, ids)).succeeded! >= 40,
      120_000,
      '40 executions before the kill',
    );
    // Freeze the victim first: no claim can land between reading what it holds and killing it.
    victim.child.kill('SIGSTOP');
    const inFlight = await rows(`SELECT id FROM executions WHERE id = ANY($1::uuid[]) AND lease_owner = 'victim-1'`, [
      ids,
    ]);
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    await waitFor(
      async () => (await stateCounts(t.db, ids)).succeeded === 200,
      120_000 + 10 * SHORT_LEASE_MS,
      'all 200 after the kill',
    );

    expect(
      await rows(
        'SELECT count(*) AS n, count(DISTINCT execution_id) AS d FROM test_effects WHERE execution_id = ANY($1::uuid[])',
        [ids],
      ),
    ).toEqual([{ n: '200', d: '200' }]);
    const resumed = await rows(
      `SELECT id, resumes FROM executions WHERE id = ANY($1::uuid[]) AND resumes > 0 ORDER BY id`,
      [ids],
    );
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.length).toBeLessThanOrEqual(4); // at most the victim's concurrency was in flight
    expect(resumed.every((r) => r['resumes'] === 1)).toBe(true);
    expect(resumed.map((r) => r['id']).every((id) => inFlight.some((f) => f['id'] === id))).toBe(true);
    // A step runs again only if it was in flight on the victim; completed steps never run twice.
    const repeated = await rows(
      `SELECT execution_id, step, array_agg(worker ORDER BY id) AS workers FROM test_step_runs
       WHERE execution_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [ids],
    );
    for (const r of repeated) {
      expect(r['workers']).toEqual(['victim', 'survivor']);
      expect(resumed.some((x) => x['id'] === r['execution_id'])).toBe(true);
    }
    expect(repeated.length).toBeLessThanOrEqual(resumed.length);
    const reasons = await rows(
      `SELECT reason FROM execution_transitions WHERE execution_id = ANY($1::uuid[]) AND from_state IN ('running', 'checking', 'promoting') AND to_state = 'ready'`,
      [ids],
    );
    expect(reasons).toHaveLength(resumed.length);
    expect(reasons.every((r) => /lease of worker victim-1 expired/.test(String(r['reason'])))).toBe(true);
    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code).toBe(0);
  });

  it('a step that kills its worker is resumed by the next worker, earlier steps not repeated', async () => {
    const first = await start('first');
    const [id] = await submitMany(products['suicidal']!, 1, 'suicide');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = await start('second');
    await waitFor(
      async () => (await stateCounts(t.db, [id!])).succeeded === 1,
      30_000 + 10 * SHORT_LEASE_MS,
      'the resumed execution',
    );
    expect(await rows('SELECT step, worker FROM test_step_runs WHERE execution_id = $1 ORDER BY id', [id])).toEqual([
      { step: 'extract', worker: 'first' },
      { step: 'explode', worker: 'first' },
      { step: 'explode', worker: 'second' },
      { step: 'publish', worker: 'second' },
    ]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
