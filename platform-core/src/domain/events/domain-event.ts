import type { EventType } from './event-types.js';
import type { EventPayloads } from './payload-schemas.js';

export type EventPayload<T extends EventType = EventType> = EventPayloads[T];

/**
 * A validated event: the envelope `{event_id, event_type, tenant_id, correlation_id, timestamp,
 * payload}` (camel-cased; `wire-envelope.ts` converts) with the payload typed by `eventType`.
 * Narrow with `event.eventType === 'DataAvailable'`.
 */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: {
    readonly eventId: string;
    readonly eventType: K;
    readonly tenantId: string;
    readonly correlationId: string;
    /** ISO 8601 instant. */
    readonly timestamp: string;
    readonly payload: EventPayload<K>;
  };
}[T];
