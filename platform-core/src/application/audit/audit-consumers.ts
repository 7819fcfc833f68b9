import type { Tenant } from '../../domain/catalog/tenant.js';
import type { RetryPolicy } from '../../domain/events/retry-policy.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus, Subscription } from '../../ports/event-bus.js';
import { subscribeAuditTrail } from './audit-consumer.js';

/**
 * The audit consumers of a long-running process (a worker): one subscription per ACTIVE tenant,
 * added and dropped by `sync()` (call it at start and periodically). With several processes, one
 * member per tenant is active at a time (the group lease); the others stand by.
 */
export class AuditConsumers {
  readonly #subs = new Map<string, Subscription>();

  constructor(
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly options: { readonly retry?: Partial<RetryPolicy> } = {},
  ) {}

  /** Subscribes ACTIVE tenants not yet followed, closes the others; returns the tenant ids followed. */
  async sync(signal?: AbortSignal): Promise<string[]> {
    const active = new Map<string, Tenant>();
    let after: string | undefined;
    do {
      const page = await this.catalog.tenants.list(
        { limit: 100, ...(after ? { after } : {}) },
        { state: 'ACTIVE' },
        signal,
      );
      for (const t of page.items) active.set(t.id, t);
      after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
    } while (after);
    for (const [id, sub] of this.#subs) {
      if (active.has(id)) continue;
      await sub.close();
      this.#subs.delete(id);
    }
    for (const [id, tenant] of active) {
      if (this.#subs.has(id)) continue;
      this.#subs.set(id, await subscribeAuditTrail(this.bus, this.catalog, tenant, this.options));
    }
    return [...this.#subs.keys()];
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#subs.values()].map((s) => s.close()));
    this.#subs.clear();
  }
}
