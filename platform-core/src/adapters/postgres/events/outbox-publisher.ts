import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../../../domain/events/domain-event.js';
import type { EventType } from '../../../domain/events/event-types.js';
import { buildEvent } from '../../../domain/events/new-event.js';
import { routeEvent } from '../../../domain/events/topics.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Catalog, TenantCatalog } from '../../../ports/catalog.js';
import type { EventToPublish, PublishedEvent, RepublishOptions } from '../../../ports/event-bus.js';

/**
 * The producer side shared by every EventBus adapter: validates the event, routes it (topic,
 * partition key) and appends it to the outbox in the caller's transaction. The relay of each
 * adapter moves it to the bus after commit.
 */
export class OutboxPublisher {
  readonly #slugs = new Map<string, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async publish<T extends EventType>(
    tx: TenantCatalog,
    input: EventToPublish<T>,
    targetGroup?: string,
  ): Promise<PublishedEvent<T>> {
    const eventId = input.eventId ?? `evt-${randomUUID()}`;
    const event = buildEvent({
      eventType: input.eventType,
      payload: input.payload,
      tenantId: tx.tenantId,
      eventId,
      correlationId: input.correlationId,
      timestamp: input.timestamp ?? this.now().toISOString(),
    });
    return this.#append(tx, event, input.product, input.productId, targetGroup);
  }

  republish(
    tenantId: string,
    event: DomainEvent,
    options: RepublishOptions & { readonly product?: string } = {},
  ): Promise<PublishedEvent> {
    return this.catalog.transaction(
      tenantId,
      (tx) => this.#append(tx, { ...event, tenantId }, options.product, undefined, options.group),
      options.signal,
    );
  }

  async slugOf(tx: TenantCatalog): Promise<string> {
    let slug = this.#slugs.get(tx.tenantId);
    if (slug === undefined) {
      slug = (await tx.tenant()).slug;
      this.#slugs.set(tx.tenantId, slug);
    }
    return slug;
  }

  async #append<T extends EventType>(
    tx: TenantCatalog,
    event: DomainEvent<T>,
    product: string | undefined,
    productId: string | undefined,
    targetGroup: string | undefined,
  ): Promise<PublishedEvent<T>> {
    const payload = event.payload as JsonObject;
    const stage = event.eventType === 'EventDeadLettered' ? (payload['stage'] as never) : undefined;
    const route = routeEvent(await this.slugOf(tx), event.eventType, { product, stage });
    await tx.events.append({
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.correlationId,
      timestamp: event.timestamp,
      payload,
      topic: route.topic,
      partitionKey: route.partitionKey,
      ...(productId === undefined ? {} : { productId }),
      ...(targetGroup === undefined ? {} : { targetGroup }),
    });
    return { event, topic: route.topic, partitionKey: route.partitionKey };
  }
}
