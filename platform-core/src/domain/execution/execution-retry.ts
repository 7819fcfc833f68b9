import { isHekimaError, isRetryable, type HekimaError } from '../errors.js';
import { durationSeconds } from '../duration.js';
import type { JsonObject } from '../json.js';

/**
 * Retries of an execution, from compute.yaml `retry` (manifest-format §7): `max_attempts` counts
 * every attempt including the first (default 3); `fixed` waits `initial_delay` (default 30 s)
 * before every retry, `exponential` doubles it each time. Only retryable errors retry
 * (`domain/errors.ts`: Transient, RateLimited, QualityGateFailed by default); a RateLimited error's
 * `retryAfterMs` is honoured when longer. Delays are capped at `MAX_RETRY_DELAY_MS`.
 */
export interface ExecutionRetryPolicy {
  readonly maxAttempts: number;
  readonly backoff: 'fixed' | 'exponential';
  readonly initialDelayMs: number;
}

export const DEFAULT_EXECUTION_RETRY: ExecutionRetryPolicy = {
  maxAttempts: 3,
  backoff: 'exponential',
  initialDelayMs: 30_000,
};

/** One hour: an exponential series never waits longer than this between attempts. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** The policy of a compute manifest (its JSON value); absent fields take the documented defaults. */
export function retryPolicyFromCompute(compute: JsonObject | undefined): ExecutionRetryPolicy {
  const retry = (compute?.['retry'] ?? {}) as JsonObject;
  const max = retry['max_attempts'];
  const backoff = retry['backoff'];
  const delay = typeof retry['initial_delay'] === 'string' ? durationSeconds(retry['initial_delay']) : undefined;
  return {
    maxAttempts:
      typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : DEFAULT_EXECUTION_RETRY.maxAttempts,
    backoff: backoff === 'fixed' || backoff === 'exponential' ? backoff : DEFAULT_EXECUTION_RETRY.backoff,
    initialDelayMs: delay === undefined ? DEFAULT_EXECUTION_RETRY.initialDelayMs : delay * 1000,
  };
}

/** The wait before attempt `failedAttempt + 1` (attempts are 1-based). */
export function retryDelayMs(policy: ExecutionRetryPolicy, failedAttempt: number): number {
  const n = Math.max(1, Math.floor(failedAttempt));
  const delay = policy.backoff === 'fixed' ? policy.initialDelayMs : policy.initialDelayMs * 2 ** Math.min(n - 1, 40);
  return Math.min(delay, MAX_RETRY_DELAY_MS);
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly nextAttempt: number; readonly reason: string }
  | { readonly retry: false; readonly reason: string };

/** Whether attempt `failedAttempt`, which failed with `error`, is retried, and after how long. */
export function decideRetry(policy: ExecutionRetryPolicy, failedAttempt: number, error: unknown): RetryDecision {
  const what = describe(error);
  if (!isRetryable(error)) return { retry: false, reason: `${what} is not retryable` };
  if (failedAttempt >= policy.maxAttempts) {
    return { retry: false, reason: `${what}; no attempts left (${failedAttempt} of ${policy.maxAttempts})` };
  }
  const hinted = (error as HekimaError).retryAfterMs ?? 0;
  const delayMs = Math.min(Math.max(retryDelayMs(policy, failedAttempt), hinted), MAX_RETRY_DELAY_MS);
  return {
    retry: true,
    delayMs,
    nextAttempt: failedAttempt + 1,
    reason: `${what}; attempt ${failedAttempt + 1} of ${policy.maxAttempts} in ${formatMs(delayMs)}`,
  };
}

function describe(error: unknown): string {
  if (isHekimaError(error)) return `${error.kind} ${error.code}`;
  return error instanceof Error ? `unexpected ${error.name}` : 'unexpected error';
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

/** A policy from its stored JSON form (`executions.retry_policy`), defaults for what is missing. */
export function retryPolicyFromJson(json: unknown, maxAttempts?: number): ExecutionRetryPolicy {
  const j = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  return {
    maxAttempts:
      maxAttempts ?? (typeof j['maxAttempts'] === 'number' ? j['maxAttempts'] : DEFAULT_EXECUTION_RETRY.maxAttempts),
    backoff: j['backoff'] === 'fixed' ? 'fixed' : 'exponential',
    initialDelayMs:
      typeof j['initialDelayMs'] === 'number' ? j['initialDelayMs'] : DEFAULT_EXECUTION_RETRY.initialDelayMs,
  };
}
