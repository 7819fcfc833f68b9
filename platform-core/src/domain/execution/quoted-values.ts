import type { ErrorJSON } from '../errors.js';
import { MASKED } from '../quality/masking.js';

/** The error details in which the engine and the connectors quote data: the offending value, a malformed line. */
const QUOTED = ['value', 'original'] as const;

export interface MaskedError {
  readonly error: ErrorJSON;
  /** What was hidden: `error.value`, `error.original`. */
  readonly masked: readonly string[];
  /** The same masking for another text that may repeat the error (an execution's state reason). */
  readonly text: (text: string) => string;
}

/**
 * An execution's error as a reader may see it: the data values it quotes (a value that did not
 * convert, a malformed input line) are masked, in the message and in the details, unless the reader
 * may read the product's highest classification (`cleared`). Everything else is kept.
 */
export function maskQuotedValues(error: ErrorJSON, cleared: boolean): MaskedError {
  if (cleared) return { error, masked: [], text: (t) => t };
  const details = (error.details ?? {}) as Record<string, unknown>;
  const swaps: [string, string][] = [];
  const hidden: Record<string, string> = {};
  const masked: string[] = [];
  for (const key of QUOTED) {
    const value = details[key];
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '') continue;
    const text = String(value);
    // A malformed line is quoted as JSON, a value between single quotes; a value of three characters
    // or more is also masked bare (a shorter one only quoted, so that digits elsewhere survive).
    swaps.push([JSON.stringify(text), MASKED], [`'${text}'`, `'${MASKED}'`]);
    if (text.length >= 3) swaps.push([text, MASKED]);
    hidden[key] = MASKED;
    masked.push(`error.${key}`);
  }
  if (masked.length === 0) return { error, masked, text: (t) => t };
  swaps.sort((a, b) => b[0].length - a[0].length);
  // Every string of the error (message, details, the causes' messages) loses the quoted values.
  const text = (t: string) => swaps.reduce((out, [from, to]) => out.split(from).join(to), t);
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  const scrubbed = scrub(error) as ErrorJSON;
  return { error: { ...scrubbed, details: { ...scrubbed.details, ...hidden } }, masked, text };
}
