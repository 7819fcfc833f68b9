import { abortError } from '../../domain/errors.js';

/**
 * A FIFO lock: one holder at a time, waiters served in arrival order. PGlite has one connection,
 * so transactions (and LISTEN) queue here instead of interleaving statements. A waiter whose
 * signal fires leaves the queue with Cancelled `aborted`.
 */
export class SerialQueue {
  #held = false;
  readonly #waiters: { grant: () => void }[] = [];

  /** Resolves with the release function once the caller holds the lock. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal, 'waiting for the database'));
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(abortError(signal!, 'waiting for the database'));
      };
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Number of callers waiting (not counting the holder). */
  get waiting(): number {
    return this.#waiters.length;
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next.grant();
      else this.#held = false;
    };
  }
}
