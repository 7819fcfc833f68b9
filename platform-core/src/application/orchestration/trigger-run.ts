import type { Execution } from '../../domain/catalog/execution.js';
import type { JsonObject } from '../../domain/json.js';
import { permanent } from '../../domain/errors.js';
import { markTriggered, runKey, type Correlation } from '../../domain/orchestration/correlation.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { ExecutionQueue } from '../../ports/execution-queue.js';

/**
 * Submits the run of a settled correlation (idempotent: one execution per product version and
 * window) and records it on the correlation. If the process dies in between, `tick` finds the
 * correlation still `complete`/`failed` without an execution and submits again — the same
 * idempotency key returns the same execution.
 */
export async function triggerRun(
  queue: ExecutionQueue,
  store: CorrelationStore,
  c: Correlation,
  signal?: AbortSignal,
): Promise<Execution> {
  const { consumer } = c;
  const failed = c.state === 'failed';
  const { execution } = await queue.submit(
    c.tenantId,
    {
      productId: consumer.productId,
      productVersionId: consumer.productVersionId,
      ...(consumer.deploymentId ? { deploymentId: consumer.deploymentId } : {}),
      trigger: 'event',
      idempotencyKey: runKey(c),
      windowId: c.windowId,
      correlationId: `corr-${consumer.productName}-${c.windowId}`,
      requirements: consumer.requirements,
      retryPolicy: consumer.retry,
      maxAttempts: consumer.retry.maxAttempts,
      inputs: { window_id: c.windowId, inputs: c.inputs as unknown as JsonObject },
      reason: failed
        ? `window ${c.windowId}: ${c.reason}`
        : `every required input of window ${c.windowId} is available`,
      ...(failed
        ? {
            failWith: {
              reason: c.reason ?? 'an input timed out',
              error: permanent('input_unavailable', c.reason ?? 'an input timed out').toJSON(),
            },
          }
        : {}),
    },
    signal,
  );
  await store.withProduct(
    c.tenantId,
    c.productId,
    async (tx) => {
      const current = await tx.get(c.windowId);
      if (current && !current.executionId) await tx.save(markTriggered(current, execution.id));
    },
    signal,
  );
  return execution;
}
