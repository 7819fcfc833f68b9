import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './event-types.js';
import { parseEvent, parseFailureError } from './parse-event.js';
import { PAYLOAD_SCHEMAS } from './payload-schemas.js';
import { buildEvent } from './new-event.js';

const TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const envelope = (over: Record<string, unknown> = {}) => ({
  event_id: 'evt-1',
  event_type: 'DataAvailable',
  tenant_id: TENANT,
  correlation_id: 'corr-1',
  timestamp: '2026-03-16T10:30:00Z',
  payload: { product_id: 'orders', snapshot_id: 's-1', freshness: '2026-03-16T10:00:00Z' },
  ...over,
});

describe('parseEvent', () => {
  it('reads text, bytes and objects into a typed, camel-cased event', () => {
    const text = JSON.stringify(envelope());
    for (const input of [text, new TextEncoder().encode(text), envelope()]) {
      const result = parseEvent(input);
      expect(result).toEqual({
        ok: true,
        event: {
          eventId: 'evt-1',
          eventType: 'DataAvailable',
          tenantId: TENANT,
          correlationId: 'corr-1',
          timestamp: '2026-03-16T10:30:00Z',
          payload: envelope().payload,
        },
      });
    }
  });

  it.each([
    ['{"event_id": "evt-1", ', 'malformed_json', undefined],
    ['[1, 2]', 'not_an_object', undefined],
    [JSON.stringify({ ...envelope(), correlation_id: undefined }), 'missing_field', '/correlation_id'],
    [JSON.stringify(envelope({ tenant_id: 'acme' })), 'invalid_field', '/tenant_id'],
    [JSON.stringify(envelope({ timestamp: 'yesterday' })), 'invalid_field', '/timestamp'],
    [JSON.stringify(envelope({ event_type: 'ProductTeleported' })), 'unknown_event_type', '/event_type'],
    [
      JSON.stringify(envelope({ payload: { product_id: 'orders', freshness: 'x' } })),
      'invalid_payload',
      '/payload/snapshot_id',
    ],
    [
      JSON.stringify(
        envelope({ payload: { product_id: 'orders', snapshot_id: 's', freshness: '2026-03-16', row_count: -1 } }),
      ),
      'invalid_payload',
      '/payload/row_count',
    ],
  ])('turns %s into a typed failure (%s), never a throw', (input, code, path) => {
    const result = parseEvent(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe(code);
    if (path !== undefined) expect(result.failure.path).toBe(path);
    expect(parseFailureError(result.failure)).toMatchObject({
      kind: 'Permanent',
      code: `event_${code}`,
      retryable: false,
    });
  });

  it('keeps what it could read of a failed envelope for the DLQ', () => {
    const result = parseEvent(JSON.stringify(envelope({ event_type: 'Nope' })));
    expect(result).toMatchObject({
      ok: false,
      failure: { eventId: 'evt-1', eventType: 'Nope', correlationId: 'corr-1', raw: { event_id: 'evt-1' } },
    });
  });

  it('has a compiled schema for every event type, and extra payload fields pass (forward compatible)', () => {
    expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const result = parseEvent(envelope({ event_type: type, payload: { future_field: 1 } }));
      // Every type requires something, so an empty payload is always invalid — but checked, not thrown.
      expect(result.ok ? 'ok' : result.failure.code, type).toBe('invalid_payload');
    }
    expect(parseEvent(envelope({ payload: { ...envelope().payload, future_field: [1] } })).ok).toBe(true);
  });
});

describe('buildEvent', () => {
  it('validates what a producer publishes exactly as a consumer will parse it', () => {
    expect(() =>
      buildEvent({
        eventType: 'QualityCheckCompleted',
        payload: { product_id: 'p', check_name: 'c', passed: true, severity: 'fatal' } as never,
        tenantId: TENANT,
        eventId: 'evt-2',
        timestamp: '2026-03-16T10:30:00.000Z',
      }),
    ).toThrow(expect.objectContaining({ kind: 'InvalidArgument', code: 'invalid_event_payload' }));
    const event = buildEvent({
      eventType: 'ProductDeleted',
      payload: { product_id: 'p' },
      tenantId: TENANT,
      eventId: 'evt-3',
      timestamp: '2026-03-16T10:30:00.000Z',
    });
    expect(event.correlationId).toBe('evt-3');
  });
});
