import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { leaseExecution } from '../../platform-core/src/application/run/lease-execution.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { stateCounts } from './support/harness.js';
import { activeTenant, deployProduct } from './support/seed.js';

/**
 * `hekima run` leases the execution it submitted by id. The window claim looks at a limited batch
 * of the oldest ready executions (max(16, 4 × slots)), so with 40 older ready executions of the
 * tenant it never saw the new one (`execution_not_claimed`); `claimById` finds it whatever is queued.
 */
describe.each([
  ['PGlite', () => openPgliteCatalog()],
  ['PostgreSQL', () => openPostgresCatalog('claim_by_id')],
])('claiming one execution by id (%s)', (_label, open) => {
  let t: TestCatalog;
  let tenantId: string;
  let other: string;
  let productId: string;
  let versionId: string;

  beforeAll(async () => {
    t = await open();
    tenantId = await activeTenant(t.catalog, 'claim-by-id');
    other = await activeTenant(t.catalog, 'claim-by-id-other');
    ({ productId, versionId } = await deployProduct(t.catalog, tenantId, 'daily-sales'));
  });
  afterAll(() => t?.cleanup());

  it('leases the run’s execution behind 40 older ready ones, leaving them ready', async () => {
    const queue = new PostgresExecutionQueue(t.db);
    const older: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { execution } = await queue.submit(tenantId, {
        productId,
        productVersionId: versionId,
        trigger: 'event',
        idempotencyKey: `older-${i}`,
      });
      older.push(execution.id);
    }
    const lease = await leaseExecution(queue, tenantId, {
      productId,
      productVersionId: versionId,
      trigger: 'manual',
      idempotencyKey: 'run:1:daily-sales',
    });
    expect(lease.execution).toMatchObject({ state: 'running', trigger: 'manual' });
    expect(lease.workerId).toMatch(/^hekima-run-/);
    expect(await stateCounts(t.db, older)).toEqual({ ready: 40 });
    // The lease is a real one: its state changes are fenced and recorded.
    await lease.advance('checking', 'test');
    await lease.advance('promoting', 'test');
    await lease.finish('succeeded', 'done');
    const done = await t.catalog.forTenant(tenantId).executions.get(lease.execution.id);
    expect(done).toMatchObject({ state: 'succeeded' });
  });

  it('returns nothing for an execution that is not ready, or not of the tenant', async () => {
    const queue = new PostgresExecutionQueue(t.db);
    const { execution } = await queue.submit(tenantId, {
      productId,
      productVersionId: versionId,
      trigger: 'manual',
      idempotencyKey: 'run:2:daily-sales',
    });
    const request = { workerId: 'w-test', leaseMs: 60_000 };
    expect(await queue.claimById(other, execution.id, request)).toBeUndefined();
    const lease = await queue.claimById(tenantId, execution.id, request);
    expect(lease?.execution.id).toBe(execution.id);
    // Already leased: a second claim gets nothing (it is no longer ready).
    expect(await queue.claimById(tenantId, execution.id, { ...request, workerId: 'w-2' })).toBeUndefined();
    await lease!.finish('failed', 'test');
    expect(await queue.claimById(tenantId, execution.id, request)).toBeUndefined();
  });
});
