import type { JsonObject } from '../json.js';

/**
 * The event envelope (docs/architecture.md, "Events"): `{event_id, event_type, tenant_id, correlation_id, timestamp,
 * payload}` (camel-cased here; the wire form is the events module's business). Typed payloads per
 * event type are defined by the events module on top of this shape.
 */
export interface EventEnvelope<P extends JsonObject = JsonObject> {
  readonly eventId: string;
  readonly eventType: string;
  readonly tenantId: string;
  readonly correlationId?: string;
  /** ISO 8601 instant. */
  readonly timestamp: string;
  readonly payload: P;
}

/** An event in the transactional outbox (the `events` table). */
export interface OutboxEvent extends EventEnvelope {
  /** Row id (cursor pagination). */
  readonly id: string;
  /** Insertion order across the whole outbox (the relay publishes in this order). */
  readonly seq: number;
  /** The product the event is about, when it is about one (per-product ordering, topic). */
  readonly productId?: string;
  readonly createdAt: string;
  /** When the relay handed it to the bus; absent while pending. */
  readonly publishedAt?: string;
  /** Bus topic and partition key (set by the EventBus publisher, or by the relay for raw appends). */
  readonly topic?: string;
  readonly partitionKey?: string;
  /** Position in the PostgreSQL event log, once relayed there. */
  readonly logSeq?: number;
  /** Delivered to this consumer group only (explicit DLQ replay). */
  readonly targetGroup?: string;
}

export interface NewOutboxEvent {
  /** Defaults to a new `evt-<uuid>`. Unique across the outbox. */
  readonly eventId?: string;
  readonly eventType: string;
  readonly correlationId?: string;
  readonly productId?: string;
  /** Defaults to the insertion time. */
  readonly timestamp?: string;
  readonly payload: JsonObject;
  /** Routing, as the EventBus computed it (absent: the relay derives it). */
  readonly topic?: string;
  readonly partitionKey?: string;
  /**
   * Only this consumer group receives it (a re-published event; the event id may then repeat one
   * already in the outbox).
   */
  readonly targetGroup?: string;
}
