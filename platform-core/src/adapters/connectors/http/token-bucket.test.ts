import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';
import { nextLink, recordsOf } from './pagination.js';
import { retryAfterMs } from './http-fetcher.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests at the rate', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(
      2,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) await bucket.take(signal);
    expect(waits).toEqual([500, 500, 500]);
    expect(now).toBe(1500);
  });
});

describe('http helpers', () => {
  it('parses Link headers and Retry-After', () => {
    const base = new URL('http://h/a?p=1');
    expect(nextLink('<http://h/a?p=2>; rel="next", <http://h/a?p=9>; rel="last"', base)?.href).toBe('http://h/a?p=2');
    expect(nextLink('</a?p=3>; rel="prev next"', base)?.href).toBe('http://h/a?p=3');
    expect(nextLink('<http://h/a?p=9>; rel="last"', base)).toBeUndefined();
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(5000).toUTCString(), 0)).toBe(5000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(recordsOf({ items: [{ a: 1 }] }, undefined, 'x')).toEqual([{ a: 1 }]);
    expect(() => recordsOf({ nothing: 1 }, undefined, 'x')).toThrow(/records_path/);
  });
});
