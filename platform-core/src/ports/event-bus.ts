import type { DlqStage } from '../domain/catalog/dlq-entry.js';
import type { DomainEvent, EventPayload } from '../domain/events/domain-event.js';
import type { EventType } from '../domain/events/event-types.js';
import type { RetryPolicy } from '../domain/events/retry-policy.js';
import type { TenantCatalog } from './catalog.js';

/**
 * The event bus (docs/adr/0008). Events are written to the transactional outbox in the same
 * transaction as the state change they announce (`publish(tx, …)`), then a relay moves committed
 * outbox rows to the bus: the PostgreSQL log (the outbox table itself, ordered by a log position)
 * or Kafka. Consumers subscribe per tenant with a consumer group.
 *
 * Guarantees, identical for every adapter (one contract suite, test/events/contract):
 * - at-least-once: offsets are committed only after the handler finished with an event (success,
 *   or parked in the DLQ after retries); a crash redelivers from the last committed offset;
 * - de-duplication by `event_id` per consumer group: an event a group has processed is not handed
 *   to its handler again (a redelivered message, a duplicate relay send, a replay to another group);
 * - per-product ordering: the partition key is the product name (else the topic); one key's events
 *   reach a group's handler one at a time, in log order; different keys run concurrently;
 * - a message that cannot be parsed (bad JSON, missing field, unknown type, invalid payload) goes to
 *   the DLQ with stage `parse_failure`; the consumer carries on;
 * - a handler failure is retried with backoff (`RetryPolicy`, blocking that partition key only);
 *   a non-retryable HekimaError (retryable: false) skips the retries; after exhaustion the event,
 *   the error and the attempts are kept in the DLQ under the subscription's stage. Nothing is ever
 *   replayed automatically (`republish` is the explicit door).
 */

/** What a producer announces. The envelope's tenant is the transaction's. */
export interface EventToPublish<T extends EventType = EventType> {
  readonly eventType: T;
  readonly payload: EventPayload<T>;
  /**
   * The product the event is about, by name (manifest `metadata.name`): it names the product topics
   * (`{tenant}.{product}.data.available`, `…execution.events`) and is the partition key. Required
   * for DataAvailable and Execution* (InvalidArgument `event_product_required` otherwise).
   */
  readonly product?: string;
  /** The product's catalog id, when known (stored with the event for filtering). */
  readonly productId?: string;
  /** Defaults to the event id (an event that starts its own lifecycle). */
  readonly correlationId?: string;
  /** Defaults to a new `evt-<uuid>`. */
  readonly eventId?: string;
  /** ISO 8601; defaults to now. */
  readonly timestamp?: string;
}

/** Where an event was written: its envelope, topic and partition key. */
export interface PublishedEvent<T extends EventType = EventType> {
  readonly event: DomainEvent<T>;
  readonly topic: string;
  readonly partitionKey: string;
}

/** How an event reached a handler. */
export interface Delivery {
  readonly group: string;
  readonly topic: string;
  readonly partitionKey: string;
  /** Opaque, increasing within a partition key (log position or Kafka partition:offset). */
  readonly position: string;
  /** 1 on first delivery to the handler, +1 per retry. */
  readonly attempt: number;
  /** Aborted when the subscription closes: stop and let the event be redelivered. */
  readonly signal: AbortSignal;
}

export type EventHandler = (event: DomainEvent, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /** The tenant whose topics are read (a UUID). A subscription never sees another tenant's events. */
  readonly tenantId: string;
  /** Consumer group id (`domain/events/consumer-groups.ts`); each group gets every event once. */
  readonly group: string;
  /**
   * Exact topic names of this tenant (`domain/events/topics.ts`), or 'all' for every topic of it.
   * Another tenant's topic is refused (Forbidden `topic_not_of_tenant`).
   */
  readonly topics: readonly string[] | 'all';
  readonly handler: EventHandler;
  /** DLQ stage for handler failures after retries (default `execution`). */
  readonly dlqStage?: DlqStage;
  /** Overrides the default backoff (30 s, 60 s, 120 s, 240 s, cap 300 s, 0–20 % jitter). */
  readonly retry?: Partial<RetryPolicy>;
  /** Partition keys processed in parallel (default 8). */
  readonly concurrency?: number;
  /** Closing the signal closes the subscription. */
  readonly signal?: AbortSignal;
}

export interface Subscription {
  readonly group: string;
  /**
   * Resolves once every event on the subscribed topics that was committed to the outbox before the
   * call has been handled and its offset committed (CLI catch-up, tests). Relays first.
   */
  caughtUp(signal?: AbortSignal): Promise<void>;
  /** Stops fetching, lets in-flight handlers finish or abort, commits what finished. */
  close(): Promise<void>;
}

export interface RepublishOptions {
  /** Deliver only to this consumer group (DLQ replay of a consumer's failure). Default: every group. */
  readonly group?: string;
  readonly signal?: AbortSignal;
}

export interface EventBus {
  readonly kind: 'postgres' | 'kafka';
  /**
   * Writes the event to the outbox inside the caller's transaction (commits or rolls back with it).
   * The payload is checked against its schema (InvalidArgument `invalid_event_payload`).
   */
  publish<T extends EventType>(tx: TenantCatalog, event: EventToPublish<T>): Promise<PublishedEvent<T>>;
  /**
   * Re-publishes an existing event under its own event id (explicit DLQ replay), in a transaction
   * of its own. Groups that already processed it skip it (de-duplication).
   */
  republish(
    tenantId: string,
    event: DomainEvent,
    options?: RepublishOptions & { readonly product?: string },
  ): Promise<PublishedEvent>;
  /** One relay pass now (the background relay runs continuously once `start` was called); returns events moved. */
  relayOnce(signal?: AbortSignal): Promise<number>;
  /** Starts the background relay of this process (outbox → bus). Idempotent. */
  start(): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Closes every subscription and the relay of this bus. */
  close(): Promise<void>;
}
