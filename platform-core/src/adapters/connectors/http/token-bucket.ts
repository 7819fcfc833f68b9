import { abortError } from '../../../domain/errors.js';

/** Waits for `ms` unless the signal fires first (then rejects with Cancelled `aborted`). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal, 'waiting'));
    const done = () => {
      clearTimeout(timer);
      reject(abortError(signal, 'waiting'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * A token bucket: `rate` tokens per second, at most `burst` banked (default: one second's worth,
 * at least 1). `take` waits until a token is available.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
    burst?: number,
  ) {
    this.burst = Math.max(1, burst ?? rate);
    this.tokens = this.burst;
    this.last = now();
  }

  async take(signal: AbortSignal): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000), signal);
    }
  }
}
