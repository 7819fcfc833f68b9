import { invalidArgument } from '../errors.js';
import type { DomainEvent, EventPayload } from './domain-event.js';
import type { EventType } from './event-types.js';
import { parseEvent } from './parse-event.js';

export interface NewEventInput<T extends EventType = EventType> {
  readonly eventType: T;
  readonly payload: EventPayload<T>;
  readonly tenantId: string;
  readonly eventId: string;
  readonly correlationId?: string | undefined;
  readonly timestamp: string;
}

/**
 * Builds a validated event, exactly as a consumer will parse it: what a producer cannot publish,
 * no consumer has to park. InvalidArgument `invalid_event_payload` (or `invalid_event`) otherwise.
 */
export function buildEvent<T extends EventType>(input: NewEventInput<T>): DomainEvent<T> {
  const result = parseEvent({
    event_id: input.eventId,
    event_type: input.eventType,
    tenant_id: input.tenantId,
    correlation_id: input.correlationId ?? input.eventId,
    timestamp: input.timestamp,
    payload: input.payload,
  });
  if (!result.ok) {
    const { failure } = result;
    throw invalidArgument(
      failure.code === 'invalid_payload' ? 'invalid_event_payload' : 'invalid_event',
      failure.message,
      { details: { eventType: input.eventType, ...(failure.path === undefined ? {} : { path: failure.path }) } },
    );
  }
  return result.event as DomainEvent<T>;
}
