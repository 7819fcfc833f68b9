import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens on a failure, lets one attempt through after the cooldown, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(1000, () => now);
    expect([breaker.state, breaker.allows()]).toEqual(['closed', true]);
    breaker.fail('ECONNREFUSED');
    expect([breaker.state, breaker.allows(), breaker.retryInMs(), breaker.lastError]).toEqual([
      'open',
      false,
      1000,
      'ECONNREFUSED',
    ]);
    now = 999;
    expect(breaker.allows()).toBe(false);
    now = 1000;
    expect([breaker.state, breaker.allows()]).toEqual(['half-open', true]);
    breaker.fail('again');
    expect(breaker.state).toBe('open');
    now = 2000;
    breaker.succeed();
    expect([breaker.state, breaker.retryInMs(), breaker.lastError]).toEqual(['closed', 0, undefined]);
  });
});
