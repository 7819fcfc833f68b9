import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, backoffDelay, retryPolicy } from './retry-policy.js';

// Property tests of the event-retry backoff (30 s, 60 s, 120 s, 240 s, cap 300 s, 0–20 % jitter).
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('event retry backoff', () => {
  it('is 30 s, 60 s, 120 s, 240 s, then 300 s without jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoffDelay(DEFAULT_RETRY_POLICY, n, () => 0))).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('adds 0–20 % jitter and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), random, (n, r) => {
        const base = Math.min(30_000 * 2 ** (n - 1), Number.MAX_SAFE_INTEGER);
        const d = backoffDelay(DEFAULT_RETRY_POLICY, n, () => r);
        expect(d).toBeLessThanOrEqual(300_000);
        expect(d).toBeGreaterThanOrEqual(Math.min(base, 300_000));
        expect(d).toBeLessThanOrEqual(Math.round(base * 1.2));
      }),
    );
  });

  it('never shrinks from one attempt to the next at the same jitter; configurable for tests', () => {
    const policy = fc.record({
      initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
      multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
      maxDelayMs: fc.integer({ min: 0, max: 100_000 }),
      maxJitter: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 30 }), random, (p, n, r) => {
        const q = retryPolicy(p);
        expect(backoffDelay(q, n + 1, () => r)).toBeGreaterThanOrEqual(backoffDelay(q, n, () => r));
        expect(backoffDelay(q, n, () => r)).toBeLessThanOrEqual(q.maxDelayMs);
      }),
    );
    expect(() => retryPolicy({ maxJitter: 2 })).toThrow(expect.objectContaining({ code: 'invalid_retry_policy' }));
  });
});
