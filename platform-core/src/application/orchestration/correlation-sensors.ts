import type { Tenant } from '../../domain/catalog/tenant.js';
import { sensorGroup } from '../../domain/events/consumer-groups.js';
import type { RetryPolicy } from '../../domain/events/retry-policy.js';
import { dataAvailableTopic } from '../../domain/events/topics.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus, Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../../ports/logger.js';
import type { CorrelationEngine } from './correlation-engine.js';

export interface CorrelationSensorsOptions {
  readonly bus: EventBus;
  readonly catalog: Catalog;
  readonly engine: CorrelationEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often tenants and deployments are re-read to add or drop subscriptions (default 30 s). */
  readonly refreshMs?: number;
  /** Handler retries before the DLQ (`correlation` stage); default: the bus's. */
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * The execution sensors (seed 001, consumer group `{tenant}.{product}.sensor`): for every ACTIVE
 * tenant and every deployed, event-scheduled product, one subscription to the `data.available`
 * topics of its inputs, handing each event to the correlation engine for that product. A handler
 * failure is retried by the bus and then parked in the DLQ under `correlation`.
 */
export class CorrelationSensors {
  readonly #subs = new Map<string, { readonly topics: string; readonly sub: Subscription }>();

  constructor(private readonly o: CorrelationSensorsOptions) {}

  /** Subscribes what is missing, closes what is no longer deployed; returns the live group ids. */
  async sync(signal?: AbortSignal): Promise<string[]> {
    const wanted = new Map<string, { tenantId: string; product: string; topics: string[] }>();
    for (const tenant of await this.#tenants(signal)) {
      this.o.engine.invalidate(tenant.id);
      const map = await this.o.engine.subscriptionMap(tenant.id, signal);
      for (const consumer of map.consumers) {
        const topics = consumer.inputs.map((i) => dataAvailableTopic(tenant.slug, i.id)).sort();
        wanted.set(sensorGroup(tenant.slug, consumer.productName), {
          tenantId: tenant.id,
          product: consumer.productName,
          topics,
        });
      }
    }
    for (const [group, held] of this.#subs) {
      const want = wanted.get(group);
      if (!want || want.topics.join(',') !== held.topics) {
        await held.sub.close();
        this.#subs.delete(group);
      }
    }
    for (const [group, want] of wanted) {
      if (this.#subs.has(group)) continue;
      const sub = await this.o.bus.subscribe({
        tenantId: want.tenantId,
        group,
        topics: want.topics,
        dlqStage: 'correlation',
        ...(this.o.retry ? { retry: this.o.retry } : {}),
        ...(signal ? { signal } : {}),
        handler: async (event, delivery) => {
          if (event.eventType !== 'DataAvailable') return;
          await this.o.engine.onDataAvailable(event, { consumer: want.product, signal: delivery.signal });
        },
      });
      this.#subs.set(group, { topics: want.topics.join(','), sub });
    }
    return [...this.#subs.keys()].sort();
  }

  /** Syncs every `refreshMs` until the signal fires, then closes every subscription. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        await this.sync(signal).catch((e: unknown) => {
          if (!signal.aborted) this.o.logger.warn('sensor subscriptions could not be refreshed', { error: String(e) });
        });
        await this.o.clock.sleep(this.o.refreshMs ?? 30_000, signal).catch(() => undefined);
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#subs.values()].map(({ sub }) => sub.close()));
    this.#subs.clear();
  }

  async #tenants(signal?: AbortSignal): Promise<Tenant[]> {
    const all: Tenant[] = [];
    let after: string | undefined;
    do {
      const page = await this.o.catalog.tenants.list(
        { limit: 100, ...(after ? { after } : {}) },
        { state: 'ACTIVE' },
        signal,
      );
      all.push(...page.items);
      after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
    } while (after);
    return all;
  }
}
