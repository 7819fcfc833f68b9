/**
 * A secret in memory (a password, a token, a key). It renders as `[redacted]` everywhere text is
 * produced from it — `String()`, template literals, `JSON.stringify`, `util.inspect` / console —
 * and only `reveal()` returns the plaintext, at the point of use (a driver's connect call).
 */
export const REDACTED = '[redacted]';

const BRAND = Symbol.for('hekima.secret-value');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class SecretValue {
  readonly #plaintext: string;
  readonly [BRAND] = true;

  private constructor(plaintext: string) {
    this.#plaintext = plaintext;
  }

  static of(plaintext: string): SecretValue {
    return new SecretValue(plaintext);
  }

  /** The plaintext. Call it where the secret is used, never to log or to store it. */
  reveal(): string {
    return this.#plaintext;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return `SecretValue(${REDACTED})`;
  }
}

/** Brand check (not instanceof: bundles may duplicate the class). */
export function isSecretValue(value: unknown): value is SecretValue {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
