/**
 * Runs a pass (e.g. an outbox relay) so that a pass always starts after the call — one already
 * running may have missed work committed since — and concurrent callers share that next pass.
 */
export class NextPass {
  #running: Promise<number> = Promise.resolve(0);
  #next: Promise<number> | undefined;

  constructor(private readonly pass: (signal?: AbortSignal) => Promise<number>) {}

  run(signal?: AbortSignal): Promise<number> {
    this.#next ??= this.#running
      .catch(() => 0)
      .then(() => {
        this.#next = undefined;
        this.#running = this.pass(signal);
        return this.#running;
      });
    return this.#next;
  }
}
