import { randomBytes } from 'node:crypto';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import type { DomainEvent } from '../../../platform-core/src/domain/events/domain-event.js';
import type { EventBus, EventHandler, PublishedEvent } from '../../../platform-core/src/ports/event-bus.js';
import type { EventHarness } from '../support/event-harness.js';

export interface EventContext {
  readonly h: EventHarness;
  /** The bus most tests use (relay running). */
  readonly bus: EventBus;
}

/** A fresh, active tenant per test: groups, offsets and topics never leak between tests. */
export async function freshTenant(h: EventHarness, prefix = 't'): Promise<Tenant> {
  const slug = `${prefix}-${randomBytes(4).toString('hex')}`;
  const created = await h.catalog.tenants.create({ slug });
  return h.catalog.tenants.transition(created.id, 'ACTIVE', 'test');
}

/** Publishes DataAvailable events for a product, one transaction each, in order. */
export async function publishData(
  h: EventHarness,
  bus: EventBus,
  tenant: Tenant,
  product: string,
  count: number,
  from = 0,
): Promise<PublishedEvent[]> {
  const out: PublishedEvent[] = [];
  for (let i = from; i < from + count; i += 1) {
    out.push(
      await h.catalog.transaction(tenant.id, (tx) =>
        bus.publish(tx, {
          eventType: 'DataAvailable',
          product,
          payload: {
            product_id: product,
            snapshot_id: `snap-${i}`,
            freshness: '2026-11-23T10:00:00Z',
            row_count: i,
          },
        }),
      ),
    );
  }
  return out;
}

/** A handler that records what it saw. */
export function recorder(extra?: EventHandler): { handler: EventHandler; seen: DomainEvent[] } {
  const seen: DomainEvent[] = [];
  return {
    seen,
    handler: async (event, delivery) => {
      if (extra) await extra(event, delivery);
      seen.push(event);
    },
  };
}

export const snapshotOf = (e: DomainEvent): string =>
  e.eventType === 'DataAvailable' ? e.payload.snapshot_id : `(${e.eventType})`;
