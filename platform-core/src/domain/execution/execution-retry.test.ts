import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, HekimaError, RETRYABLE_BY_KIND } from '../errors.js';
import {
  DEFAULT_EXECUTION_RETRY,
  MAX_RETRY_DELAY_MS,
  decideRetry,
  retryDelayMs,
  retryPolicyFromCompute,
  type ExecutionRetryPolicy,
} from './execution-retry.js';

const policy = fc.record<ExecutionRetryPolicy>({
  maxAttempts: fc.integer({ min: 1, max: 100 }),
  backoff: fc.constantFrom('fixed', 'exponential'),
  initialDelayMs: fc.integer({ min: 0, max: 600_000 }),
});
const attempt = fc.integer({ min: 1, max: 120 });

describe('execution retries (compute.yaml retry)', () => {
  it('reads compute.yaml with the documented defaults (3 attempts, exponential, 30 s)', () => {
    expect(retryPolicyFromCompute(undefined)).toEqual(DEFAULT_EXECUTION_RETRY);
    expect(retryPolicyFromCompute({ retry: { max_attempts: 5, backoff: 'fixed', initial_delay: '2m' } })).toEqual({
      maxAttempts: 5,
      backoff: 'fixed',
      initialDelayMs: 120_000,
    });
    expect(retryPolicyFromCompute({ retry: { initial_delay: '10s' } })).toMatchObject({
      maxAttempts: 3,
      initialDelayMs: 10_000,
    });
  });

  it('fixed waits the initial delay every time; exponential doubles it; both are capped', () => {
    fc.assert(
      fc.property(policy, attempt, (p, n) => {
        const d = retryDelayMs(p, n);
        expect(d).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
        if (p.backoff === 'fixed') expect(d).toBe(Math.min(p.initialDelayMs, MAX_RETRY_DELAY_MS));
        else {
          expect(d).toBe(Math.min(p.initialDelayMs * 2 ** (n - 1), MAX_RETRY_DELAY_MS));
          expect(retryDelayMs(p, n + 1)).toBeGreaterThanOrEqual(d);
        }
      }),
    );
    expect([1, 2, 3, 4].map((n) => retryDelayMs(DEFAULT_EXECUTION_RETRY, n))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
  });

  it('retries only retryable errors, only while attempts are left, honouring retryAfterMs', () => {
    fc.assert(
      fc.property(
        policy,
        attempt,
        fc.constantFrom(...ERROR_KINDS),
        fc.option(fc.integer({ min: 0, max: 10_000_000 })),
        (p, n, kind, after) => {
          const error = new HekimaError(kind, 'x', 'x', after === null ? {} : { retryAfterMs: after });
          const d = decideRetry(p, n, error);
          expect(d.retry).toBe(RETRYABLE_BY_KIND[kind] && n < p.maxAttempts);
          if (d.retry) {
            expect(d.nextAttempt).toBe(n + 1);
            expect(d.delayMs).toBe(Math.min(Math.max(retryDelayMs(p, n), after ?? 0), MAX_RETRY_DELAY_MS));
          }
        },
      ),
    );
  });

  it('never retries a bug (an error that is not a HekimaError)', () => {
    expect(decideRetry(DEFAULT_EXECUTION_RETRY, 1, new TypeError('x'))).toEqual({
      retry: false,
      reason: 'unexpected TypeError is not retryable',
    });
  });
});
