import type { JsonValue } from '../json.js';

/**
 * Canonical JSON: object keys sorted by code unit, no undefined, two-space indentation and a
 * final newline. Plans are written and hashed in this form so the same manifests give the same
 * bytes on any machine.
 */
export function canonicalize(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => canonicalize(v === undefined ? null : v));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

export function canonicalJson(value: unknown, indent = 2): string {
  return JSON.stringify(canonicalize(value), null, indent) + (indent > 0 ? '\n' : '');
}

/** Text embedded in a plan: line endings normalised so a Windows checkout gives the same bytes. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
