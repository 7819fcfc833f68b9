import type { DlqStage } from '../../../domain/catalog/dlq-entry.js';
import { HekimaError, isHekimaError, type ErrorJSON } from '../../../domain/errors.js';
import { parseEvent, parseFailureError } from '../../../domain/events/parse-event.js';
import { backoffDelay, type RetryPolicy } from '../../../domain/events/retry-policy.js';
import type { JsonValue } from '../../../domain/json.js';
import type { Catalog } from '../../../ports/catalog.js';
import type { EventHandler } from '../../../ports/event-bus.js';
import type { Logger } from '../../../ports/logger.js';
import { sleep } from './doorbell.js';
import type { OutboxPublisher } from './outbox-publisher.js';

/** One message as a transport read it. */
export interface IncomingMessage {
  /** JSON text or bytes (Kafka), or the envelope object (PostgreSQL log). */
  readonly raw: unknown;
  readonly topic: string;
  readonly partitionKey: string;
  readonly position: string;
}

export interface DeliveryContext {
  readonly catalog: Catalog;
  readonly publisher: OutboxPublisher;
  readonly tenantId: string;
  readonly group: string;
  readonly stage: DlqStage;
  readonly policy: RetryPolicy;
  readonly handler: EventHandler;
  readonly logger: Logger;
  readonly random?: () => number;
}

/** handled: the handler succeeded; dead_lettered: parked in the DLQ; aborted: leave it for redelivery. */
export type DeliveryOutcome =
  { readonly outcome: 'handled'; readonly eventId: string } | { readonly outcome: 'dead_lettered' | 'aborted' };

/**
 * Parses a message and hands it to the handler with retries and backoff; parks it in the DLQ when
 * it cannot be parsed, belongs to another tenant, fails with a non-retryable error, or exhausts
 * its attempts. Never throws: every failure ends as an outcome (or waits while the DLQ is unreachable).
 */
export async function deliverMessage(
  ctx: DeliveryContext,
  msg: IncomingMessage,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  const parsed = parseEvent(msg.raw);
  if (!parsed.ok) {
    const { failure } = parsed;
    return deadLetter(ctx, msg, signal, {
      stage: 'parse_failure',
      event: failure.raw,
      error: parseFailureError(failure).toJSON(),
      attempts: 1,
      ...(failure.eventId === undefined ? {} : { eventId: failure.eventId }),
      ...(failure.eventType === undefined ? {} : { eventType: failure.eventType }),
      ...(failure.correlationId === undefined ? {} : { correlationId: failure.correlationId }),
    });
  }
  const event = parsed.event;
  const wire =
    msg.raw instanceof Uint8Array || typeof msg.raw === 'string' ? JSON.parse(String(toText(msg.raw))) : msg.raw;
  const park = (stage: DlqStage, error: ErrorJSON, attempts: number) =>
    deadLetter(ctx, msg, signal, {
      stage,
      event: wire as JsonValue,
      error,
      attempts,
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.correlationId,
    });
  if (event.tenantId !== ctx.tenantId) {
    const error = new HekimaError(
      'Forbidden',
      'event_tenant_mismatch',
      `Event of tenant ${event.tenantId} on a topic of tenant ${ctx.tenantId}.`,
      { retryable: false },
    );
    return park('parse_failure', error.toJSON(), 1);
  }
  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) return { outcome: 'aborted' };
    try {
      await ctx.handler(event, {
        group: ctx.group,
        topic: msg.topic,
        partitionKey: msg.partitionKey,
        position: msg.position,
        attempt,
        signal,
      });
      return { outcome: 'handled', eventId: event.eventId };
    } catch (e) {
      if (signal.aborted) return { outcome: 'aborted' };
      const error = asHekimaError(e);
      if (!error.retryable || attempt >= ctx.policy.maxAttempts) return park(ctx.stage, error.toJSON(), attempt);
      const delay = backoffDelay(ctx.policy, attempt, ctx.random);
      ctx.logger.warn('event handler failed; retrying', {
        group: ctx.group,
        eventId: event.eventId,
        attempt,
        delayMs: delay,
        code: error.code,
      });
      if (!(await sleep(delay, signal))) return { outcome: 'aborted' };
    }
  }
}

/** Handler errors: HekimaErrors as they are; anything else is a retryable runtime error (seed: runtime_error). */
export function asHekimaError(e: unknown): HekimaError {
  if (isHekimaError(e)) return e;
  return new HekimaError('Transient', 'handler_error', e instanceof Error ? e.message : String(e), { cause: e });
}

interface Parked {
  readonly stage: DlqStage;
  readonly event: JsonValue;
  readonly error: ErrorJSON;
  readonly attempts: number;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly correlationId?: string;
}

/** Adds the DLQ entry and announces it (EventDeadLettered) in one transaction; retried until it lands or the signal aborts. */
async function deadLetter(
  ctx: DeliveryContext,
  msg: IncomingMessage,
  signal: AbortSignal,
  p: Parked,
): Promise<DeliveryOutcome> {
  let announce = true;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ctx.catalog.transaction(
        ctx.tenantId,
        async (tx) => {
          const entry = await tx.dlq.add({
            stage: p.stage,
            event: p.event,
            error: p.error,
            attempts: p.attempts,
            consumerGroup: ctx.group,
            topic: msg.topic,
            partitionKey: msg.partitionKey,
            ...(p.eventId === undefined ? {} : { eventId: p.eventId }),
            ...(p.correlationId === undefined ? {} : { correlationId: p.correlationId }),
          });
          // No cascade: a failure to handle an announcement of a failure is parked, not announced.
          if (p.eventType === 'EventDeadLettered' || !announce) return;
          await ctx.publisher.publish(tx, {
            eventType: 'EventDeadLettered',
            payload: {
              dlq_entry_id: entry.id,
              stage: p.stage,
              consumer_group: ctx.group,
              error_code: p.error.code,
              attempts: p.attempts,
              ...(usable(p.eventId) ? { original_event_id: p.eventId } : {}),
              ...(usable(p.eventType) ? { original_event_type: p.eventType } : {}),
            },
            ...(usable(p.correlationId) ? { correlationId: p.correlationId } : {}),
          });
        },
        signal,
      );
      ctx.logger.warn('event parked in the DLQ', {
        group: ctx.group,
        stage: p.stage,
        eventId: p.eventId,
        code: p.error.code,
      });
      return { outcome: 'dead_lettered' };
    } catch (e) {
      if (signal.aborted) return { outcome: 'aborted' };
      // A deterministic failure (the announcement does not validate): park without announcing.
      if (isHekimaError(e) && e.kind === 'InvalidArgument') announce = false;
      ctx.logger.error('cannot write the DLQ entry; retrying', { group: ctx.group, error: (e as Error).message });
      if (!(await sleep(Math.min(30_000, 500 * 2 ** attempt), signal))) return { outcome: 'aborted' };
    }
  }
}

/** Text that fits an envelope id field (what came in with a parse failure may not). */
function usable(text: string | undefined): text is string {
  return text !== undefined && text.length > 0 && text.length <= 200;
}

function toText(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
}
