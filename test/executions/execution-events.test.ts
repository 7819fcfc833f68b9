import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresCatalog } from '../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { PostgresEventBus } from '../../platform-core/src/adapters/postgres/events/postgres-event-bus.js';
import {
  executionOutbox,
  type ExecutionOutbox,
} from '../../platform-core/src/adapters/postgres/executions/execution-outbox.js';
import { executionBackbone } from '../../platform-core/src/adapters/postgres/executions/execution-backbone.js';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { permanent } from '../../platform-core/src/domain/errors.js';
import type { DomainEvent } from '../../platform-core/src/domain/events/domain-event.js';
import { executionEventsTopic } from '../../platform-core/src/domain/events/topics.js';
import { akoScorePolicy } from '../../platform-core/src/domain/execution/placement.js';
import type { ExecutionQueue } from '../../platform-core/src/ports/execution-queue.js';
import type { StepPlan } from '../../platform-core/src/ports/execution-handler.js';
import type { SqlDatabase } from '../../platform-core/src/ports/sql-database.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { TEST_TABLES, silentLogger, testHandler, testRunner } from './support/step-functions.js';
import { testWorker, waitFor } from './support/harness.js';

// Execution lifecycle events go through the transactional outbox in the transaction of the state
// change: exactly one event per transition, none when the transition rolls back, and a subscriber
// gets them in log order per product.
const drivers = [
  { name: 'PGlite', open: openPgliteCatalog },
  { name: 'PostgreSQL', open: () => openPostgresCatalog('execution_events') },
] as const;

const good: StepPlan[] = [
  { name: 'extract', phase: 'run', kind: 'write' },
  { name: 'publish', phase: 'promote', kind: 'noop' },
];
const bad: StepPlan[] = [{ name: 'explode', phase: 'run', kind: 'fail' }];

interface Row {
  readonly type: string;
  readonly executionId: string;
  readonly correlationId: string;
  readonly topic: string;
  readonly partitionKey: string;
}

async function outboxRows(db: SqlDatabase, executionIds: readonly string[]): Promise<Row[]> {
  return db.admin.transaction(async (sql) => {
    const { rows } = await sql.query(
      `SELECT type, payload->>'execution_id' AS execution_id, correlation_id, topic, partition_key FROM events
       WHERE payload->>'execution_id' = ANY($1::text[]) ORDER BY seq`,
      [executionIds],
    );
    return rows.map((r) => ({
      type: String(r['type']),
      executionId: String(r['execution_id']),
      correlationId: String(r['correlation_id']),
      topic: String(r['topic']),
      partitionKey: String(r['partition_key']),
    }));
  });
}

/** An outbox that writes the event, then fails: the transaction of the state change must roll back. */
function failingAfter(catalog: PostgresCatalog, bus: PostgresEventBus, type: string): ExecutionOutbox {
  const real = executionOutbox({
    within: (id, sql) => catalog.within(id, sql),
    publish: (tx, e) => bus.publish(tx, e),
  });
  return async (sql, row) => {
    await real(sql, row);
    const { rows } = await sql.query('SELECT type FROM events ORDER BY seq DESC LIMIT 1');
    if (rows[0]?.['type'] === type) throw new Error(`injected failure after ${type}`);
  };
}

describe.each(drivers)('execution lifecycle events on $name', ({ open }) => {
  let t: TestCatalog;
  let tenantId: string;
  let bus: PostgresEventBus;
  let orders: SeededProduct;

  beforeAll(async () => {
    t = await open();
    await t.db.admin.transaction((sql) => sql.exec(TEST_TABLES));
    tenantId = await activeTenant(t.catalog, 'exec-events');
    orders = await deployProduct(t.catalog, tenantId, 'orders');
    bus = new PostgresEventBus({ db: t.db, catalog: t.catalog, logger: silentLogger, retry: { initialDelayMs: 10 } });
  });
  afterAll(async () => {
    await bus?.close();
    await t?.cleanup();
  });

  const submit = (queue: ExecutionQueue, key: string, correlationId?: string) =>
    queue.submit(tenantId, {
      productId: orders.productId,
      productVersionId: orders.versionId,
      trigger: 'event',
      idempotencyKey: key,
      windowId: key,
      ...(correlationId ? { correlationId } : {}),
    });

  it('publishes Started, then Completed or Failed, once per transition, and a subscriber gets them in order', async () => {
    const { queue } = executionBackbone(t.catalog, { events: bus });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await submit(queue, `ok-${i}`, `corr-${i}`)).execution.id);
    const failing = await deployProduct(t.catalog, tenantId, 'broken');
    const failed = await queue.submit(tenantId, {
      productId: failing.productId,
      productVersionId: failing.versionId,
      trigger: 'manual',
      idempotencyKey: 'broken-1',
    });
    ids.push(failed.execution.id);

    const received: DomainEvent[] = [];
    const sub = await bus.subscribe({
      tenantId,
      group: 'test.execution-events',
      topics: [executionEventsTopic('exec-events', 'orders'), executionEventsTopic('exec-events', 'broken')],
      handler: async (event) => {
        received.push(event);
      },
    });
    const stop = new AbortController();
    const worker = testWorker(t.db, 'events-worker', {
      queue,
      handler: testHandler({ [orders.productId]: good, [failing.productId]: bad }),
      runner: testRunner(t.db, 'events-worker'),
    });
    const running = worker.run(stop.signal);
    try {
      await waitFor(async () => (await outboxRows(t.db, ids)).length === 14, 60_000, '14 lifecycle events');
    } finally {
      stop.abort();
      await running;
    }

    const rows = await outboxRows(t.db, ids);
    for (const [i, id] of ids.slice(0, 6).entries()) {
      const mine = rows.filter((r) => r.executionId === id);
      expect(mine.map((r) => r.type)).toEqual(['ExecutionStarted', 'ExecutionCompleted']);
      expect(new Set(mine.map((r) => r.correlationId))).toEqual(new Set([`corr-${i}`]));
      expect(mine[0]).toMatchObject({ topic: 'exec-events.orders.execution.events', partitionKey: 'orders' });
    }
    const broken = rows.filter((r) => r.executionId === failed.execution.id);
    expect(broken.map((r) => r.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
    // No correlation id on the execution: its own id correlates its lifecycle.
    expect(broken.every((r) => r.correlationId === failed.execution.id)).toBe(true);

    await sub.caughtUp();
    await sub.close();
    const got = received.filter((e) => ids.includes(String((e.payload as { execution_id: string }).execution_id)));
    expect(got).toHaveLength(14);
    for (const product of ['orders', 'broken']) {
      const inLog = rows.filter((r) => r.partitionKey === product).map((r) => `${r.type}:${r.executionId}`);
      const inOrder = got
        .filter((e) => inLog.some((l) => l.endsWith(String((e.payload as { execution_id: string }).execution_id))))
        .map((e) => `${e.eventType}:${String((e.payload as { execution_id: string }).execution_id)}`);
      expect(inOrder).toEqual(inLog);
    }
    const completed = got.find((e) => e.eventType === 'ExecutionCompleted');
    expect(completed?.payload).toMatchObject({ product_id: orders.productId, row_count: 0 });
  });

  it('rolls the event back with the transition (claim and finish)', async () => {
    const failClaim = new PostgresExecutionQueue(t.db, failingAfter(t.catalog, bus, 'ExecutionStarted'));
    const { execution } = await submit(failClaim, 'rollback-claim');
    const claim = () =>
      failClaim.claim({
        workerId: 'w-rollback',
        free: { cpuMillis: 4000, memoryBytes: 4 * 2 ** 30 },
        slots: 1,
        placement: akoScorePolicy(0.5),
        leaseMs: 60_000,
      });
    await expect(claim()).rejects.toThrow(/injected failure after ExecutionStarted/);
    expect(await stateOf(t.db, execution.id)).toBe('ready');
    expect(await outboxRows(t.db, [execution.id])).toEqual([]);

    const failFinish = new PostgresExecutionQueue(t.db, failingAfter(t.catalog, bus, 'ExecutionCompleted'));
    const [lease] = await failFinish.claim({
      workerId: 'w-rollback',
      free: { cpuMillis: 4000, memoryBytes: 4 * 2 ** 30 },
      slots: 1,
      placement: akoScorePolicy(0.5),
      leaseMs: 60_000,
    });
    expect(lease?.execution.id).toBe(execution.id);
    await lease!.advance('checking', 'test');
    await lease!.advance('promoting', 'test');
    await expect(lease!.finish('succeeded', 'done')).rejects.toThrow(/injected failure after ExecutionCompleted/);
    expect(await stateOf(t.db, execution.id)).toBe('promoting');
    expect((await outboxRows(t.db, [execution.id])).map((r) => r.type)).toEqual(['ExecutionStarted']);

    await lease!.finish('failed', 'given up', permanent('nope', 'no').toJSON());
    expect(await stateOf(t.db, execution.id)).toBe('failed');
    expect((await outboxRows(t.db, [execution.id])).map((r) => r.type)).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
    ]);
  });

  it('announces failures that no worker settles: a fallback `fail` at submit, a lease given up by maintenance', async () => {
    const { queue } = executionBackbone(t.catalog, { events: bus });
    const refused = await queue.submit(tenantId, {
      productId: orders.productId,
      productVersionId: orders.versionId,
      trigger: 'event',
      idempotencyKey: 'fallback-fail',
      failWith: { reason: 'input orders timed out', error: permanent('input_timeout', 'orders timed out').toJSON() },
    });
    expect((await outboxRows(t.db, [refused.execution.id])).map((r) => r.type)).toEqual(['ExecutionFailed']);

    const { execution } = await submit(queue, 'abandoned');
    const leases = await queue.claim({
      workerId: 'w-vanishing',
      free: { cpuMillis: 4000, memoryBytes: 4 * 2 ** 30 },
      slots: 16,
      placement: akoScorePolicy(0.5),
      leaseMs: 1,
    });
    expect(leases.map((l) => l.execution.id)).toContain(execution.id);
    await waitFor(
      async () => {
        await queue.maintain({ maxResumes: 0, workerTtlMs: 60_000 });
        return (await stateOf(t.db, execution.id)) === 'failed';
      },
      30_000,
      'the expired lease to be given up',
    );
    expect((await outboxRows(t.db, [execution.id])).map((r) => r.type)).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
    ]);
  });
});

async function stateOf(db: SqlDatabase, id: string): Promise<string> {
  return db.admin.transaction(async (sql) =>
    String((await sql.query('SELECT state FROM executions WHERE id = $1', [id])).rows[0]?.['state']),
  );
}
