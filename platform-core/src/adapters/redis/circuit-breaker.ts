/**
 * A circuit breaker for one store: any failure opens it for `cooldownMs`; after that one attempt
 * is let through (half-open) — success closes it, failure opens it again.
 */
export class CircuitBreaker {
  #openedAt: number | undefined;
  #lastError: string | undefined;

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.now() - this.#openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Whether an attempt may go to the store now. */
  allows(): boolean {
    return this.state !== 'open';
  }

  /** Milliseconds until the next attempt is allowed (0 when it is). */
  retryInMs(): number {
    return this.#openedAt === undefined ? 0 : Math.max(0, this.#openedAt + this.cooldownMs - this.now());
  }

  succeed(): void {
    this.#openedAt = undefined;
    this.#lastError = undefined;
  }

  fail(error: string): void {
    this.#openedAt = this.now();
    this.#lastError = error;
  }
}
