import { abortError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';

/** A clock that moves only when a test says so (`advance`, `set`); sleepers wake as it passes them. */
export class ManualClock implements Clock {
  #now: number;
  readonly #sleepers = new Set<{ until: number; wake: () => void }>();

  constructor(start: Date | string = '2026-11-23T00:00:00.000Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.set(new Date(this.#now + ms));
  }

  set(time: Date | string): void {
    this.#now = new Date(time).getTime();
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= this.#now) sleeper.wake();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal, 'sleep'));
    return new Promise((resolve, reject) => {
      const sleeper = {
        until: this.#now + ms,
        wake: () => {
          this.#sleepers.delete(sleeper);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        reject(abortError(signal!, 'sleep'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (ms <= 0) sleeper.wake();
      else this.#sleepers.add(sleeper);
    });
  }
}
