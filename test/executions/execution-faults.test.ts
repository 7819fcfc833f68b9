import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import type { StepPlan } from '../../platform-core/src/ports/execution-handler.js';
import type { ExecutionRetryPolicy } from '../../platform-core/src/domain/execution/execution-retry.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { TEST_TABLES, testHandler, testRunner } from './support/step-functions.js';
import { testWorker, waitFor } from './support/harness.js';

// Crashes, retries and cancellation, with in-process workers on PGlite (lease 1 s).
let t: TestCatalog;
let tenantId: string;
let queue: PostgresExecutionQueue;
const products: Record<string, SeededProduct> = {};
const plans: Record<string, StepPlan[]> = {};

async function product(name: string, steps: StepPlan[]): Promise<SeededProduct> {
  const p = await deployProduct(t.catalog, tenantId, name);
  products[name] = p;
  plans[p.productId] = steps;
  return p;
}

async function submit(
  p: SeededProduct,
  key: string,
  retry: ExecutionRetryPolicy = { maxAttempts: 3, backoff: 'fixed', initialDelayMs: 50 },
) {
  return (
    await queue.submit(tenantId, {
      productId: p.productId,
      productVersionId: p.versionId,
      trigger: 'manual',
      idempotencyKey: key,
      retryPolicy: retry,
    })
  ).execution;
}

const get = (id: string) => t.catalog.forTenant(tenantId).executions.get(id);
const runsOf = async (id: string) =>
  t.db.admin.transaction(
    async (sql) =>
      (await sql.query('SELECT step, worker, attempt FROM test_step_runs WHERE execution_id = $1 ORDER BY id', [id]))
        .rows,
  );

beforeAll(async () => {
  t = await openPgliteCatalog();
  await t.db.admin.transaction((sql) => sql.exec(TEST_TABLES));
  tenantId = await activeTenant(t.catalog, 'faults');
  queue = new PostgresExecutionQueue(t.db);
  await product('resumable', [
    { name: 'extract', phase: 'run', kind: 'write' },
    { name: 'slow', phase: 'run', kind: 'sleep', params: { ms: 20 } },
    { name: 'quality', phase: 'check', kind: 'noop' },
  ]);
  await product('flaky', [{ name: 'load', phase: 'run', kind: 'flaky', params: { failures: 2 } }]);
  await product('very-flaky', [{ name: 'load', phase: 'run', kind: 'flaky', params: { failures: 5 } }]);
  await product('broken', [{ name: 'transform', phase: 'run', kind: 'fail' }]);
  await product('hanging', [{ name: 'wait', phase: 'run', kind: 'hang' }]);
});
afterAll(() => t.cleanup());

describe('durable executions under faults (PGlite, in-process workers)', () => {
  it('a crashed worker’s execution is resumed by another worker after its last completed step', async () => {
    const execution = await submit(products['resumable']!, 'crash-1');
    let hung = false;
    const a = testWorker(t.db, 'crashing-a', {
      handler: testHandler(plans),
      runner: testRunner(t.db, 'a', async (step) => {
        if (step.name === 'slow') {
          hung = true;
          await new Promise(() => undefined); // never returns: the worker dies here
        }
      }),
    });
    const runA = a.run(new AbortController().signal);
    await waitFor(async () => hung, 10_000, 'worker a to reach the slow step');
    a.halt(); // as if the process died: no release, no heartbeat
    await runA;
    const b = testWorker(t.db, 'rescuer-b', { handler: testHandler(plans), runner: testRunner(t.db, 'b') });
    const stop = new AbortController();
    const runB = b.run(stop.signal);
    await waitFor(async () => (await get(execution.id))?.state === 'succeeded', 10_000, 'the resumed execution');
    stop.abort();
    await runB;

    expect(await runsOf(execution.id)).toEqual([
      { step: 'extract', worker: 'a', attempt: 1 },
      { step: 'slow', worker: 'a', attempt: 1 },
      { step: 'slow', worker: 'b', attempt: 1 },
      { step: 'quality', worker: 'b', attempt: 1 },
    ]);
    const done = await get(execution.id);
    expect(done).toMatchObject({ state: 'succeeded', attempt: 1, resumes: 1 });
    const transitions = await t.catalog.forTenant(tenantId).executions.transitions(execution.id);
    expect(transitions.map((x) => `${x.from ?? ''}>${x.to}`)).toEqual([
      '>pending',
      'pending>ready',
      'ready>running',
      'running>ready',
      'ready>running',
      'running>checking',
      'checking>promoting',
      'promoting>succeeded',
    ]);
    expect(transitions[3]!.reason).toMatch(/lease of worker crashing-a expired/);
    expect(transitions[4]!.reason).toMatch(/claimed by worker rescuer-b \(resumes/);
  });

  it('retries retryable errors per compute.yaml and fails at once on permanent ones', async () => {
    const flaky = await submit(products['flaky']!, 'flaky-1');
    const exhausted = await submit(products['very-flaky']!, 'flaky-2', {
      maxAttempts: 2,
      backoff: 'exponential',
      initialDelayMs: 30,
    });
    const broken = await submit(products['broken']!, 'broken-1');
    const stop = new AbortController();
    const w = testWorker(t.db, 'retrier', { handler: testHandler(plans), runner: testRunner(t.db, 'r') });
    const run = w.run(stop.signal);
    const finished = async (id: string) => ['succeeded', 'failed'].includes((await get(id))?.state ?? '');
    await waitFor(
      async () => (await finished(flaky.id)) && (await finished(exhausted.id)) && (await finished(broken.id)),
      15_000,
      'three executions',
    );
    stop.abort();
    await run;

    expect(await get(flaky.id)).toMatchObject({ state: 'succeeded', attempt: 3 });
    expect((await runsOf(flaky.id)).map((r) => r['attempt'])).toEqual([1, 2, 3]);
    const retries = (await t.catalog.forTenant(tenantId).executions.transitions(flaky.id)).filter(
      (x) => x.to === 'ready' && x.from === 'running',
    );
    expect(retries.map((x) => x.reason)).toEqual([
      'Transient flaky_source; attempt 2 of 3 in 50 ms in step load',
      'Transient flaky_source; attempt 3 of 3 in 50 ms in step load',
    ]);

    const gaveUp = await get(exhausted.id);
    expect(gaveUp).toMatchObject({
      state: 'failed',
      attempt: 2,
      error: { kind: 'Transient', code: 'flaky_source', retryable: true },
    });
    expect(gaveUp?.stateReason).toMatch(/no attempts left \(2 of 2\)/);

    const failed = await get(broken.id);
    expect(failed).toMatchObject({
      state: 'failed',
      attempt: 1,
      error: { kind: 'Permanent', code: 'bad_logic', retryable: false },
    });
    expect(failed?.stateReason).toMatch(/is not retryable in step transform/);
    expect(await runsOf(broken.id)).toHaveLength(1);
    const steps = await t.catalog.forTenant(tenantId).executions.steps(broken.id);
    expect(steps[0]).toMatchObject({ name: 'transform', state: 'failed', error: { code: 'bad_logic' } });
  });

  it('cancelling a running execution stops its worker at the next heartbeat', async () => {
    const execution = await submit(products['hanging']!, 'hang-1');
    const stop = new AbortController();
    const outcomes: string[] = [];
    const w = testWorker(t.db, 'canceller', {
      handler: testHandler(plans),
      runner: testRunner(t.db, 'c'),
      onOutcome: (_, o) => outcomes.push(o),
    });
    const run = w.run(stop.signal);
    await waitFor(async () => (await get(execution.id))?.state === 'running', 5_000, 'the execution to start');
    await waitFor(async () => (await runsOf(execution.id)).length === 1, 5_000, 'the step to start');
    const cancelled = await queue.cancel(tenantId, execution.id, 'cancelled by ada');
    expect(cancelled).toMatchObject({ state: 'cancelled', stateReason: 'cancelled by ada' });
    await waitFor(async () => outcomes.length === 1, 5_000, 'the worker to give the execution up');
    expect(outcomes).toEqual(['lost']);
    expect(w.runningCount).toBe(0);
    stop.abort();
    await run;
    await expect(queue.cancel(tenantId, execution.id, 'again')).rejects.toMatchObject({ code: 'execution_finished' });
  });
});
