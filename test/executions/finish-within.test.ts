import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionBackbone } from '../../platform-core/src/adapters/postgres/executions/execution-backbone.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';

/**
 * `ExecutionLease.finish(…, within)`: the work of `within` (a blocked gate's results and events)
 * commits with the execution's end, or not at all.
 */
describe('finishing an execution with work in its transaction (PGlite)', () => {
  let t: TestCatalog;
  let tenantId: string;
  let product: SeededProduct;

  beforeAll(async () => {
    t = await openPgliteCatalog();
    tenantId = await activeTenant(t.catalog, 'finish-within');
    product = await deployProduct(t.catalog, tenantId, 'orders');
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  const leased = async (key: string) => {
    const { queue } = executionBackbone(t.catalog);
    const { execution } = await queue.submit(tenantId, {
      productId: product.productId,
      productVersionId: product.versionId,
      trigger: 'manual',
      idempotencyKey: key,
    });
    const lease = await queue.claimById(tenantId, execution.id, { workerId: 'w1', leaseMs: 60_000 });
    if (!lease) throw new Error('not claimed');
    return lease;
  };
  const result = (executionId: string) => ({
    productId: product.productId,
    executionId,
    name: 'enough_rows',
    type: 'volume',
    severity: 'error' as const,
    blocking: true,
    status: 'failed' as const,
    measured: 3,
    threshold: { min_rows: 10 },
    message: 'failed: 3 rows',
    samples: [],
  });

  it('commits both: the failure and what `within` wrote', async () => {
    const lease = await leased('both');
    await lease.finish('failed', 'gate blocked', undefined, undefined, async (tx) => {
      await tx.qualityResults.record([result(lease.execution.id)]);
    });
    const tenant = t.catalog.forTenant(tenantId);
    expect((await tenant.executions.get(lease.execution.id))?.state).toBe('failed');
    expect(await tenant.qualityResults.ofExecution(lease.execution.id)).toHaveLength(1);
  });

  it('commits neither when `within` throws', async () => {
    const lease = await leased('neither');
    await expect(
      lease.finish('failed', 'gate blocked', undefined, undefined, async (tx) => {
        await tx.qualityResults.record([result(lease.execution.id)]);
        throw new Error('injected');
      }),
    ).rejects.toThrow('injected');
    const tenant = t.catalog.forTenant(tenantId);
    expect((await tenant.executions.get(lease.execution.id))?.state).toBe('running');
    expect(await tenant.qualityResults.ofExecution(lease.execution.id)).toEqual([]);
    const failed = await tenant.events.list({ limit: 100 }, { eventType: 'ExecutionFailed' });
    expect(failed.items.filter((e) => e.payload['execution_id'] === lease.execution.id)).toEqual([]);
  });
});
