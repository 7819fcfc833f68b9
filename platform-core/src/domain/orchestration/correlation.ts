import type { ConsumerSpec, Fallback, InputSpec } from './subscription-map.js';

/**
 * A correlation: one product waiting for its inputs in one window (key: tenant, product, window).
 * Pure transitions here; the store keeps them durable and serialises changes per product.
 *
 * Windows: a `day` product (some input is `same_day`) correlates per UTC day — the event's
 * `window_id` when it names a day, else the day of its timestamp. Its `latest` inputs match any
 * window: their newest arrival is kept on the product's carry row (window `*`) and counts for
 * every day. A `latest` product (no `same_day` input) correlates in numbered rounds
 * (`latest-1`, `latest-2`, …): a round runs once every required input has published since the
 * previous round, and the next event opens the next round.
 */
export type CorrelationState = 'open' | 'complete' | 'triggered' | 'failed' | 'carry';
export type InputStatus = 'waiting' | 'arrived' | 'cached' | 'skipped';

export interface InputState {
  readonly status: InputStatus;
  readonly eventId?: string;
  readonly snapshotId?: string;
  /** Window the data belongs to (its `window_id`), when the event named one. */
  readonly windowId?: string;
  readonly at?: string;
  readonly reason?: string;
}

export interface Correlation {
  readonly tenantId: string;
  readonly productId: string;
  readonly windowId: string;
  readonly state: CorrelationState;
  /** The consumer as deployed when the window opened (a redeploy does not change an open window). */
  readonly consumer: ConsumerSpec;
  readonly inputs: Readonly<Record<string, InputState>>;
  readonly openedAt: string;
  /** Earliest timeout among the required inputs still waiting (what the deadline sweep looks at). */
  readonly deadlineAt?: string;
  readonly reason?: string;
  readonly executionId?: string;
}

export const CARRY_WINDOW = '*';

export interface Arrival {
  readonly eventId: string;
  readonly snapshotId?: string;
  readonly windowId?: string;
  readonly at: string;
}

const DAY = /^(\d{4}-\d{2}-\d{2})/;

/** The correlation window an event of `input` belongs to, for a `day` consumer. */
export function dayWindow(event: { readonly windowId?: string; readonly timestamp: string }): string {
  const named = event.windowId === undefined ? undefined : DAY.exec(event.windowId)?.[1];
  return named ?? new Date(event.timestamp).toISOString().slice(0, 10);
}

export function openCorrelation(
  tenantId: string,
  consumer: ConsumerSpec,
  windowId: string,
  now: Date,
  carried: Readonly<Record<string, InputState>> = {},
): Correlation {
  const inputs: Record<string, InputState> = {};
  for (const input of consumer.inputs) {
    const carry = input.mapping === 'latest' && consumer.windowKind === 'day' ? carried[input.id] : undefined;
    inputs[input.id] = carry ?? { status: 'waiting' };
  }
  return settle({
    tenantId,
    productId: consumer.productId,
    windowId,
    state: 'open',
    consumer,
    inputs,
    openedAt: now.toISOString(),
  });
}

/** The carry row of a `day` consumer: the newest arrival of each `latest` input. */
export function openCarry(tenantId: string, consumer: ConsumerSpec, now: Date): Correlation {
  return {
    tenantId,
    productId: consumer.productId,
    windowId: CARRY_WINDOW,
    state: 'carry',
    consumer,
    inputs: {},
    openedAt: now.toISOString(),
  };
}

/** Records that `inputId` published. A closed correlation does not change (late data is logged by the caller). */
export function recordArrival(c: Correlation, inputId: string, arrival: Arrival): Correlation {
  if (c.state !== 'open' && c.state !== 'carry') return c;
  const state: InputState = {
    status: 'arrived',
    eventId: arrival.eventId,
    at: arrival.at,
    ...(arrival.snapshotId ? { snapshotId: arrival.snapshotId } : {}),
    ...(arrival.windowId ? { windowId: arrival.windowId } : {}),
  };
  return settle({ ...c, inputs: { ...c.inputs, [inputId]: state } });
}

export function deadlineOf(c: Correlation, input: InputSpec): number {
  return Date.parse(c.openedAt) + input.timeoutMs;
}

/** Required inputs still waiting whose timeout has passed at `now`, with their fallback. */
export function dueFallbacks(c: Correlation, now: Date): { readonly input: InputSpec; readonly fallback: Fallback }[] {
  if (c.state !== 'open') return [];
  return c.consumer.inputs
    .filter((i) => i.required && c.inputs[i.id]?.status === 'waiting' && deadlineOf(c, i) <= now.getTime())
    .map((input) => ({ input, fallback: input.fallback }));
}

export type FallbackOutcome =
  | { readonly status: 'cached'; readonly snapshotId: string; readonly reason: string }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

/** Applies a timed-out input's fallback: `failed` fails the whole correlation with the reason. */
export function applyFallback(c: Correlation, inputId: string, outcome: FallbackOutcome, now: Date): Correlation {
  if (c.state !== 'open') return c;
  if (outcome.status === 'failed') return { ...c, state: 'failed', reason: outcome.reason, deadlineAt: undefined };
  const state: InputState = {
    status: outcome.status,
    at: now.toISOString(),
    reason: outcome.reason,
    ...(outcome.status === 'cached' ? { snapshotId: outcome.snapshotId } : {}),
  };
  return settle({ ...c, inputs: { ...c.inputs, [inputId]: state } });
}

export function isSatisfied(c: Correlation): boolean {
  return c.consumer.inputs.every((i) => !i.required || (c.inputs[i.id]?.status ?? 'waiting') !== 'waiting');
}

/** Moves an open correlation to `complete` once satisfied and recomputes its deadline. */
function settle(c: Correlation): Correlation {
  if (c.state !== 'open') return c;
  if (isSatisfied(c)) {
    const { deadlineAt: _, ...rest } = c;
    return { ...rest, state: 'complete', reason: 'every required input is available' };
  }
  const waiting = c.consumer.inputs.filter((i) => i.required && c.inputs[i.id]?.status === 'waiting');
  const next = Math.min(...waiting.map((i) => deadlineOf(c, i)));
  return { ...c, deadlineAt: new Date(next).toISOString() };
}

export function markTriggered(c: Correlation, executionId: string): Correlation {
  return { ...c, state: c.state === 'failed' ? 'failed' : 'triggered', executionId };
}

/** The idempotency key of the run a correlation triggers: one per product version and window. */
export function runKey(c: Correlation): string {
  return `${c.consumer.productVersionId}:${c.windowId}`;
}
