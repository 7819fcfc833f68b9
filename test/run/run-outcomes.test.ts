import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { PostgresDatabase } from '../../platform-core/src/adapters/postgres/postgres-database.js';
import { awaitForeignExecution } from '../../platform-core/src/application/run/run-outcomes.js';
import type { Catalog } from '../../platform-core/src/ports/catalog.js';
import type { ExecutionLease, ExecutionQueue } from '../../platform-core/src/ports/execution-queue.js';
import type { SqlDatabase } from '../../platform-core/src/ports/sql-database.js';
import {
  openPgliteCatalog,
  openPostgresCatalog,
  TEST_DATABASE_URL,
  type TestCatalog,
} from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct } from '../executions/support/seed.js';
import { SteppingClock } from '../support/stepping-clock.js';

/**
 * The waiter's clock never moves by itself: its fallback poll fires only when a test advances it,
 * so a wait that ends without an advance was ended by the notification (and a lost notification
 * makes the test time out instead of passing slowly). Steps are ordered by waiting for the
 * waiter to be asleep, never by fixed delays.
 */
const clock = new SteppingClock();
const NO_POLL = { fallbackPollMs: 30_000 };

/**
 * `hekima run` waiting for an execution a worker (another process) leased first: woken by the
 * catalog's `execution_finished` notification, with a slow poll behind it.
 */
describe.each([
  ['PostgreSQL', () => openPostgresCatalog('run_outcomes'), true],
  ['PGlite', () => openPgliteCatalog(), false],
] as const)('waiting for an execution run elsewhere (%s)', (_label, open, server) => {
  let t: TestCatalog;
  /** The worker's side: on a server, its own connections (as another process has). */
  let workerDb: SqlDatabase;
  let queue: ExecutionQueue;
  let tenantId: string;
  let productId: string;
  let versionId: string;

  beforeAll(async () => {
    t = await open();
    workerDb = server
      ? await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema: t.db.schema, poolSize: 2 })
      : t.db;
    queue = new PostgresExecutionQueue(workerDb);
    tenantId = await activeTenant(t.catalog, `outcomes-${randomBytes(3).toString('hex')}`);
    ({ productId, versionId } = await deployProduct(t.catalog, tenantId, 'daily-sales'));
  }, 60_000);
  afterAll(async () => {
    if (server) await workerDb?.close();
    await t?.cleanup();
  });

  /** A ready execution leased by "another worker". */
  const leasedElsewhere = async () => {
    const { execution } = await queue.submit(tenantId, {
      productId,
      productVersionId: versionId,
      trigger: 'event',
      idempotencyKey: `ev-${randomBytes(6).toString('hex')}`,
    });
    const lease = await queue.claimById(tenantId, execution.id, { workerId: 'worker-b', leaseMs: 60_000 });
    if (!lease) throw new Error('not claimed');
    return lease;
  };

  /** The worker's successful end (running → checking → promoting → succeeded). */
  const succeed = async (lease: ExecutionLease, reason: string) => {
    await lease.advance('checking', 'checks');
    await lease.advance('promoting', 'promote');
    await lease.finish('succeeded', reason);
  };

  /** The catalog as the run sees it, counting the reads of the execution's state. */
  const counting = (reads: { n: number }) =>
    ({
      db: t.db,
      forTenant: (id: string, s?: AbortSignal) => {
        const executions = t.catalog.forTenant(id, s).executions;
        return { executions: { get: (eid: string) => (reads.n++, executions.get(eid)) } };
      },
    }) as unknown as Catalog;

  it('is woken by the notification after the other process finishes, without polling', async () => {
    for (let i = 0; i < 5; i++) {
      const lease = await leasedElsewhere();
      const reads = { n: 0 };
      const asleep = clock.nextSleep();
      const waiting = awaitForeignExecution(
        { catalog: counting(reads), clock },
        tenantId,
        'daily-sales',
        lease.execution.id,
        new AbortController().signal,
        NO_POLL,
      );
      await asleep; // read once, found it running, now waits
      await succeed(lease, 'done by worker-b');
      const report = await waiting;
      expect(report).toMatchObject({
        product: 'daily-sales',
        status: 'succeeded',
        executionId: lease.execution.id,
        reason: 'run elsewhere: done by worker-b',
      });
      // Read once before the finish and once when notified: no polling in between.
      expect(reads.n).toBe(2);
    }
  });

  it('is woken by every terminal state: a failure, and a cancellation (reported skipped)', async () => {
    const failing = await leasedElsewhere();
    let asleep = clock.nextSleep();
    const waitFail = awaitForeignExecution(
      { catalog: t.catalog, clock },
      tenantId,
      'daily-sales',
      failing.execution.id,
      new AbortController().signal,
      NO_POLL,
    );
    await asleep;
    await failing.finish('failed', 'step transform failed');
    await expect(waitFail).resolves.toMatchObject({ status: 'failed', reason: /step transform failed/ });

    const cancelled = await leasedElsewhere();
    asleep = clock.nextSleep();
    const waitCancel = awaitForeignExecution(
      { catalog: t.catalog, clock },
      tenantId,
      'daily-sales',
      cancelled.execution.id,
      new AbortController().signal,
      NO_POLL,
    );
    await asleep;
    await queue.cancel(tenantId, cancelled.execution.id, 'cancelled by an operator');
    await expect(waitCancel).resolves.toMatchObject({ status: 'skipped', reason: /cancelled by an operator/ });
  });

  it('still returns when notifications are unavailable (the fallback poll)', async () => {
    const lease = await leasedElsewhere();
    // A catalog that offers no database to LISTEN on: only the poll can see the finish.
    const bare = { forTenant: (id: string, s?: AbortSignal) => t.catalog.forTenant(id, s) } as unknown as Catalog;
    let asleep = clock.nextSleep();
    const waiting = awaitForeignExecution(
      { catalog: bare, clock },
      tenantId,
      'daily-sales',
      lease.execution.id,
      new AbortController().signal,
      { fallbackPollMs: 300 },
    );
    await asleep;
    await succeed(lease, 'done');
    clock.advance(300); // the poll's turn: nothing else can wake the waiter
    await expect(waiting).resolves.toMatchObject({ status: 'succeeded' });

    // A database whose LISTEN fails (a lost connection): the poll again.
    const broken = {
      forTenant: (id: string, s?: AbortSignal) => t.catalog.forTenant(id, s),
      db: { schema: t.db.schema, listen: () => Promise.reject(new Error('connection lost')) },
    } as unknown as Catalog;
    const again = await leasedElsewhere();
    asleep = clock.nextSleep();
    const waitingAgain = awaitForeignExecution(
      { catalog: broken, clock },
      tenantId,
      'daily-sales',
      again.execution.id,
      new AbortController().signal,
      { fallbackPollMs: 300 },
    );
    await asleep;
    await again.finish('failed', 'boom');
    clock.advance(300);
    await expect(waitingAgain).resolves.toMatchObject({ status: 'failed' });
  });

  it('stops waiting when the run is interrupted', async () => {
    const lease = await leasedElsewhere();
    const stop = new AbortController();
    const asleep = clock.nextSleep();
    const waiting = awaitForeignExecution(
      { catalog: t.catalog, clock },
      tenantId,
      'daily-sales',
      lease.execution.id,
      stop.signal,
      NO_POLL,
    );
    await asleep;
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'Cancelled' });
    await succeed(lease, 'done');
  });
});
