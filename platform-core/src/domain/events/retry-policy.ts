import { invalidArgument } from '../errors.js';

/**
 * Backoff for failed event handling (manifest-format §15, DLQ):
 * `delay(n) = min(initial × multiplier^(n-1) × (1 + jitter), max)` with jitter uniform in
 * [0, maxJitter] — by default 30 s, 60 s, 120 s, 240 s, then 300 s, each plus 0–20 %, capped.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one the event goes to the DLQ. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly multiplier: number;
  readonly maxDelayMs: number;
  /** Upper bound of the random extra, as a fraction (0.2 = up to +20 %). */
  readonly maxJitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  initialDelayMs: 30_000,
  multiplier: 2,
  maxDelayMs: 300_000,
  maxJitter: 0.2,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  const ok =
    Number.isInteger(policy.maxAttempts) &&
    policy.maxAttempts >= 1 &&
    policy.initialDelayMs >= 0 &&
    policy.multiplier >= 1 &&
    policy.maxDelayMs >= 0 &&
    policy.maxJitter >= 0 &&
    policy.maxJitter <= 1;
  if (!ok) throw invalidArgument('invalid_retry_policy', 'The retry policy is out of range.', { details: policy });
  return policy;
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` (1-based) failed. `random` returns a
 * number in [0, 1) (injected for tests).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1);
  return Math.round(Math.min(base * (1 + random() * policy.maxJitter), policy.maxDelayMs));
}
