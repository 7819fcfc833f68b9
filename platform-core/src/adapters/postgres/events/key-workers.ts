/**
 * Per-partition-key queues: one key's messages run one at a time, in order; up to `concurrency`
 * keys run at once. `work` returns false to stop its key (the rest of that queue is dropped: it
 * was not committed, so it will be delivered again).
 */
export class KeyWorkers<M> {
  readonly #queues = new Map<string, M[]>();
  readonly #ready: string[] = [];
  readonly #running = new Set<string>();
  #buffered = 0;
  #idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly work: (key: string, message: M) => Promise<boolean>,
    private readonly onDrained: () => void = () => undefined,
  ) {}

  /** Messages queued or running. */
  get buffered(): number {
    return this.#buffered;
  }

  push(key: string, message: M): void {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = [];
      this.#queues.set(key, queue);
      if (!this.#running.has(key)) this.#ready.push(key);
    }
    queue.push(message);
    this.#buffered += 1;
    this.#pump();
  }

  /** Resolves when no key is running. */
  idle(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running.size < this.concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      this.#running.add(key);
      void this.#run(key);
    }
  }

  async #run(key: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.#queues.get(key);
        const message = queue?.[0];
        if (!queue || message === undefined) break;
        const go = await this.work(key, message).catch(() => false);
        queue.shift();
        this.#buffered -= 1;
        if (!go) {
          this.#buffered -= queue.length;
          queue.length = 0;
        }
      }
    } finally {
      this.#queues.delete(key);
      this.#running.delete(key);
      this.onDrained();
      this.#pump();
      if (this.#running.size === 0) {
        const waiters = this.#idle;
        this.#idle = [];
        for (const wake of waiters) wake();
      }
    }
  }
}
