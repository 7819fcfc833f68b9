import type { JsonObject } from '../json.js';
import type { DomainEvent } from './domain-event.js';

/** The envelope as it travels (snake_case, seed 001): JSON text on Kafka, a row in the PostgreSQL log. */
export interface WireEnvelope {
  readonly event_id: string;
  readonly event_type: string;
  readonly tenant_id: string;
  readonly correlation_id: string;
  readonly timestamp: string;
  readonly payload: JsonObject;
}

export function toWire(event: DomainEvent): WireEnvelope {
  return {
    event_id: event.eventId,
    event_type: event.eventType,
    tenant_id: event.tenantId,
    correlation_id: event.correlationId,
    timestamp: event.timestamp,
    payload: event.payload as JsonObject,
  };
}

export function encodeEvent(event: DomainEvent): string {
  return JSON.stringify(toWire(event));
}
