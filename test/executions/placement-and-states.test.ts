import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { PostgresWorkerRegistry } from '../../platform-core/src/adapters/postgres/executions/postgres-worker-registry.js';
import { EXECUTION_STATES, type ExecutionState } from '../../platform-core/src/domain/catalog/execution.js';
import {
  EXECUTION_TRANSITIONS,
  canTransitionExecution,
} from '../../platform-core/src/domain/execution/execution-lifecycle.js';
import { akoScorePolicy } from '../../platform-core/src/domain/execution/placement.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { TEST_TABLES, testHandler, testRunner } from './support/step-functions.js';
import { testWorker, waitFor } from './support/harness.js';

const GiB = 2 ** 30;
let t: TestCatalog;
let tenantId: string;
let p: SeededProduct;
let queue: PostgresExecutionQueue;

beforeAll(async () => {
  t = await openPgliteCatalog();
  await t.db.admin.transaction((sql) => sql.exec(TEST_TABLES));
  tenantId = await activeTenant(t.catalog, 'placement');
  p = await deployProduct(t.catalog, tenantId, 'big-model');
  queue = new PostgresExecutionQueue(t.db);
});
afterAll(() => t.cleanup());

const submit = (key: string, memGiB: number, expectedMs?: number) =>
  queue.submit(tenantId, {
    productId: p.productId,
    productVersionId: p.versionId,
    trigger: 'manual',
    idempotencyKey: key,
    requirements: { cpuMillis: 500, memoryBytes: memGiB * GiB, ...(expectedMs ? { expectedMs } : {}) },
  });

describe('placement on the queue', () => {
  it('work that fits no worker stays ready with a visible reason until a big enough worker comes', async () => {
    const big = (await submit('big-1', 64)).execution;
    const small = (await submit('small-1', 1)).execution;
    const plans = { [p.productId]: [{ name: 'train', phase: 'run' as const, kind: 'noop' }] };
    const stop = new AbortController();
    const w = testWorker(t.db, 'small-worker', {
      handler: testHandler(plans),
      runner: testRunner(t.db, 's'),
      capacity: { cpuMillis: 2000, memoryBytes: 4 * GiB },
    });
    const run = w.run(stop.signal);
    const get = (id: string) => t.catalog.forTenant(tenantId).executions.get(id);
    await waitFor(async () => (await get(small.id))?.state === 'succeeded', 5000, 'the small execution');
    await waitFor(
      async () => (await get(big.id))?.stateReason?.startsWith('fits no worker') === true,
      5000,
      'the reason',
    );
    const listed = await t.catalog.forTenant(tenantId).executions.list({}, { state: 'ready' });
    expect(listed.items.map((e) => [e.id, e.stateReason])).toEqual([
      [big.id, 'fits no worker: needs 500m CPU and 64Gi memory; the largest live worker offers 2 CPU and 4Gi memory'],
    ]);
    const large = testWorker(t.db, 'large-worker', {
      handler: testHandler(plans),
      runner: testRunner(t.db, 'l'),
      capacity: { cpuMillis: 8000, memoryBytes: 128 * GiB },
    });
    const runLarge = large.run(stop.signal);
    await waitFor(
      async () => (await get(big.id))?.state === 'succeeded',
      5000,
      'the big execution on the large worker',
    );
    const claims = (await t.catalog.forTenant(tenantId).executions.transitions(big.id)).filter(
      (x) => x.to === 'running',
    );
    expect(claims.map((x) => x.reason)).toEqual(['claimed by worker large-worker']);
    stop.abort();
    await Promise.all([run, runLarge]);
  });

  it('a claim takes what the policy prefers among ready executions that fit the free capacity', async () => {
    const ids = {
      long: (await submit('p-long', 1, 3_600_000)).execution.id,
      short: (await submit('p-short', 1, 1000)).execution.id,
      huge: (await submit('p-huge', 6)).execution.id,
    };
    const registry = new PostgresWorkerRegistry(t.db);
    await registry.register({
      id: 'picker',
      hostname: 'h',
      pid: 1,
      capacity: { cpuMillis: 4000, memoryBytes: 4 * GiB },
      concurrency: 1,
      placement: 'akoscore',
    });
    const [lease] = await queue.claim({
      workerId: 'picker',
      free: { cpuMillis: 4000, memoryBytes: 4 * GiB },
      slots: 1,
      placement: akoScorePolicy(0),
      leaseMs: 60_000,
    });
    expect(lease?.execution.id).toBe(ids.short);
    expect(lease?.execution).toMatchObject({ state: 'running', leaseOwner: 'picker', attempt: 1 });
    await lease!.finish('failed', 'test over');
    // The other two are still claimable by others: SKIP LOCKED only held them during the claim.
    const rest = await queue.claim({
      workerId: 'picker',
      free: { cpuMillis: 8000, memoryBytes: 8 * GiB },
      slots: 5,
      placement: akoScorePolicy(0),
      leaseMs: 60_000,
    });
    expect(rest.map((l) => l.execution.id).sort()).toEqual([ids.long, ids.huge].sort());
    for (const l of rest) await l.finish('failed', 'test over');
  });
});

describe('the database enforces the domain state machine', () => {
  it('accepts exactly the transitions of EXECUTION_TRANSITIONS (every pair tried)', async () => {
    // A shortest path from pending to every state (BFS over the domain table).
    const parents = new Map<ExecutionState, ExecutionState>();
    const queueStates: ExecutionState[] = ['pending'];
    while (queueStates.length) {
      const s = queueStates.shift()!;
      for (const n of EXECUTION_TRANSITIONS[s]) {
        if (n === 'pending' || parents.has(n)) continue;
        parents.set(n, s);
        queueStates.push(n);
      }
    }
    const bfsParent = (s: ExecutionState) => parents.get(s)!;
    const mismatches: string[] = [];
    let n = 0;
    for (const from of EXECUTION_STATES) {
      const path: ExecutionState[] = [];
      for (let at = from; at !== 'pending'; at = bfsParent(at)) path.unshift(at);
      for (const to of EXECUTION_STATES) {
        if (to === from) continue;
        const accepted = await t.db.admin.transaction(async (sql) => {
          const { rows } = await sql.query(
            `INSERT INTO executions (tenant_id, product_id, product_version_id, trigger, idempotency_key) VALUES ($1, $2, $3, 'manual', $4) RETURNING id`,
            [tenantId, p.productId, p.versionId, `sm-${n++}`],
          );
          const id = String(rows[0]!['id']);
          for (const step of path) await sql.query('UPDATE executions SET state = $2 WHERE id = $1', [id, step]);
          await sql.exec('SAVEPOINT try');
          const refused = await sql.query('UPDATE executions SET state = $2 WHERE id = $1', [id, to]).then(
            () => undefined,
            (e: { kind?: string; code?: string }) => `${String(e.kind)}/${String(e.code)}`,
          );
          if (refused !== undefined) await sql.exec('ROLLBACK TO SAVEPOINT try');
          return refused ?? true;
        });
        const expected = canTransitionExecution(from, to) || 'InvalidState/invalid_transition';
        if (accepted !== expected) mismatches.push(`${from}→${to}: db ${String(accepted)}`);
      }
    }
    expect(mismatches).toEqual([]);
    await expect(
      t.db.admin.transaction((sql) =>
        sql.query(
          `INSERT INTO executions (tenant_id, product_id, product_version_id, trigger, idempotency_key, state) VALUES ($1, $2, $3, 'manual', 'sm-x', 'running')`,
          [tenantId, p.productId, p.versionId],
        ),
      ),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
  });
});
