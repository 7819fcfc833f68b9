import type { Tenant } from '../../domain/catalog/tenant.js';
import { auditGroup } from '../../domain/events/consumer-groups.js';
import type { RetryPolicy } from '../../domain/events/retry-policy.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus, Subscription } from '../../ports/event-bus.js';
import { appendAuditEntry } from './append-audit-entry.js';

export interface AuditConsumerOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly signal?: AbortSignal;
}

/**
 * The audit consumer of one tenant (group `{tenant}.audit.consumer`): every event of every topic
 * of the tenant is appended to its hash chain. Contention on the chain head is retried by the bus;
 * a failure after the retries is parked in the DLQ (stage `event_publish`: the event was published
 * but not recorded).
 */
export function subscribeAuditTrail(
  bus: EventBus,
  catalog: Catalog,
  tenant: Pick<Tenant, 'id' | 'slug'>,
  options: AuditConsumerOptions = {},
): Promise<Subscription> {
  return bus.subscribe({
    tenantId: tenant.id,
    group: auditGroup(tenant.slug),
    topics: 'all',
    // The chain is one sequence per tenant: appending from several partition keys at once would only contend.
    concurrency: 1,
    dlqStage: 'event_publish',
    handler: async (event, delivery) => {
      const productName = delivery.partitionKey !== delivery.topic ? delivery.partitionKey : undefined;
      await appendAuditEntry(catalog, event, productName === undefined ? {} : { productName }, delivery.signal);
    },
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Runs the audit consumer until caught up with what was published so far, then stops (CLI, embedded mode). */
export async function catchUpAuditTrail(
  bus: EventBus,
  catalog: Catalog,
  tenant: Pick<Tenant, 'id' | 'slug'>,
  signal?: AbortSignal,
): Promise<void> {
  const sub = await subscribeAuditTrail(bus, catalog, tenant, signal ? { signal } : {});
  try {
    await sub.caughtUp(signal);
  } finally {
    await sub.close();
  }
}
