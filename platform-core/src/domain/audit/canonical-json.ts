import type { JsonValue } from '../json.js';

/**
 * Canonical JSON (the ordering rules of RFC 8785, for the values the catalog stores): object keys
 * sorted by code unit, no whitespace, numbers and strings as `JSON.stringify` writes them. Two
 * equal values always give the same text, whatever order their keys were written in.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
  const object = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k]!)}`).join(',')}}`;
}
