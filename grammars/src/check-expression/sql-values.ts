import type { RowValue } from './context.js';

/** SQL's three-valued logic: null is "unknown". */
export type Truth = boolean | null;

export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

export function not3(a: Truth): Truth {
  return a === null ? null : !a;
}

export function isNumeric(value: RowValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** The SQL type name of a value, for messages. */
export function kindOf(value: RowValue): 'number' | 'string' | 'boolean' | 'null' {
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  return typeof value === 'string' ? 'string' : 'boolean';
}

/**
 * Orders two non-null values of the same kind: numbers (number and bigint mixed exactly),
 * strings by code unit, false before true. Undefined when the kinds differ.
 */
export function compareValues(a: RowValue, b: RowValue): -1 | 0 | 1 | undefined {
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return undefined;
}

function compareNumbers(a: number | bigint, b: number | bigint): -1 | 0 | 1 {
  if (typeof a === 'bigint' && typeof b === 'number') return negate(compareNumbers(b, a));
  if (typeof a === 'number' && typeof b === 'bigint') {
    if (Number.isNaN(a)) return 1;
    if (!Number.isFinite(a)) return a > 0 ? 1 : -1;
    if (Number.isInteger(a)) return sign(BigInt(a) - b);
    const floor = BigInt(Math.floor(a));
    return floor < b ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function sign(d: bigint): -1 | 0 | 1 {
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function negate(c: -1 | 0 | 1): -1 | 0 | 1 {
  return c === 0 ? 0 : c === 1 ? -1 : 1;
}

/**
 * Arithmetic as DuckDB does it: exact on integers for + - * (once a BIGINT is involved),
 * real division for /, and null for a division by zero.
 */
export function arithmetic(
  operator: '+' | '-' | '*' | '/',
  a: number | bigint,
  b: number | bigint,
): number | bigint | null {
  if (operator === '/') {
    const divisor = Number(b);
    return divisor === 0 ? null : Number(a) / divisor;
  }
  if ((typeof a === 'bigint' || typeof b === 'bigint') && isIntegral(a) && isIntegral(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return operator === '+' ? x + y : operator === '-' ? x - y : x * y;
  }
  const x = Number(a);
  const y = Number(b);
  return operator === '+' ? x + y : operator === '-' ? x - y : x * y;
}

function isIntegral(value: number | bigint): boolean {
  return typeof value === 'bigint' || Number.isSafeInteger(value);
}

/**
 * The value of a number literal: an integer beyond 2^53 is kept exact as a bigint (as SQL reads
 * it as a BIGINT or HUGEINT), anything else is a double.
 */
export function literalValue(text: string, value: number): number | bigint {
  return /^[0-9]+$/.test(text) && !Number.isSafeInteger(value) ? BigInt(text) : value;
}

/** A value as SQL writes it: `3`, `'text'`, `true`, `null`. */
export function formatValue(value: RowValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}
