import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TObject } from '@sinclair/typebox';
import { permanent, type HekimaError } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { DomainEvent } from './domain-event.js';
import { isEventType, type EventType } from './event-types.js';
import { PAYLOAD_SCHEMAS } from './payload-schemas.js';

/**
 * Reads an incoming message (JSON text, bytes, or an already-parsed value) into a DomainEvent.
 * Never throws: a bad message is a typed failure the consumer parks in the DLQ (`parse_failure`).
 */
export type EventParseCode =
  'malformed_json' | 'not_an_object' | 'missing_field' | 'invalid_field' | 'unknown_event_type' | 'invalid_payload';

export interface EventParseFailure {
  readonly code: EventParseCode;
  readonly message: string;
  /** JSON pointer of the offending field, when there is one. */
  readonly path?: string;
  /** What arrived: the parsed JSON, or the text itself when it was not JSON. */
  readonly raw: JsonValue;
  /** Envelope fields that could be read, for the DLQ entry. */
  readonly eventId?: string;
  readonly eventType?: string;
  readonly correlationId?: string;
}

export type EventParseResult =
  { readonly ok: true; readonly event: DomainEvent } | { readonly ok: false; readonly failure: EventParseFailure };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ENVELOPE_FIELDS = ['event_id', 'event_type', 'tenant_id', 'correlation_id', 'timestamp', 'payload'] as const;

const checks = new Map<EventType, TypeCheck<TObject>>();
function checkerFor(type: EventType): TypeCheck<TObject> {
  let check = checks.get(type);
  if (!check) {
    check = TypeCompiler.Compile(PAYLOAD_SCHEMAS[type] as TObject);
    checks.set(type, check);
  }
  return check;
}

export function parseEvent(input: string | Uint8Array | unknown): EventParseResult {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fail({ code: 'malformed_json', message: `Not JSON: ${(e as Error).message}`, raw: text });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail({
      code: 'not_an_object',
      message: 'An event must be a JSON object.',
      raw: (value ?? null) as JsonValue,
    });
  }
  const raw = value as JsonObject;
  const known = {
    ...(typeof raw['event_id'] === 'string' ? { eventId: raw['event_id'] } : {}),
    ...(typeof raw['event_type'] === 'string' ? { eventType: raw['event_type'] } : {}),
    ...(typeof raw['correlation_id'] === 'string' ? { correlationId: raw['correlation_id'] } : {}),
  };
  const bad = (code: EventParseCode, message: string, path: string) => fail({ code, message, path, raw, ...known });
  for (const field of ENVELOPE_FIELDS) {
    if (raw[field] === undefined || raw[field] === null)
      return bad('missing_field', `The envelope has no ${field}.`, `/${field}`);
  }
  for (const field of ['event_id', 'event_type', 'correlation_id'] as const) {
    const v = raw[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 200)
      return bad('invalid_field', `${field} must be a non-empty string (at most 200 characters).`, `/${field}`);
  }
  if (typeof raw['tenant_id'] !== 'string' || !UUID.test(raw['tenant_id']))
    return bad('invalid_field', 'tenant_id must be a UUID.', '/tenant_id');
  const timestamp = raw['timestamp'];
  if (typeof timestamp !== 'string' || !INSTANT.test(timestamp) || Number.isNaN(Date.parse(timestamp)))
    return bad('invalid_field', 'timestamp must be an ISO 8601 instant.', '/timestamp');
  const payload = raw['payload'];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return bad('invalid_field', 'payload must be an object.', '/payload');
  const type = raw['event_type'];
  if (!isEventType(type)) return bad('unknown_event_type', `Unknown event type "${String(type)}".`, '/event_type');
  let check: TypeCheck<TObject>;
  try {
    check = checkerFor(type);
  } catch (e) {
    return bad('invalid_payload', `${type} payload cannot be checked: ${(e as Error).message}.`, '/payload');
  }
  if (!check.Check(payload)) {
    const first = check.Errors(payload).First();
    const path = `/payload${first?.path ?? ''}`;
    const missing = first?.message.startsWith('Expected required property') === true;
    return bad(
      'invalid_payload',
      `${type} payload: ${missing ? `${path} is required` : `${path} ${first?.message ?? 'is invalid'}`}.`,
      path,
    );
  }
  return {
    ok: true,
    event: {
      eventId: raw['event_id'] as string,
      eventType: type,
      tenantId: (raw['tenant_id'] as string).toLowerCase(),
      correlationId: raw['correlation_id'] as string,
      timestamp,
      payload,
    } as DomainEvent,
  };
}

/** The error kept with a parse failure in the DLQ (never retried: the same bytes fail again). */
export function parseFailureError(failure: EventParseFailure): HekimaError {
  return permanent(`event_${failure.code}`, failure.message, {
    retryable: false,
    ...(failure.path === undefined ? {} : { details: { path: failure.path } }),
  });
}

function fail(failure: EventParseFailure): EventParseResult {
  return { ok: false, failure };
}
