import type { JsonValue } from './json.js';

/**
 * The one JSON rule of every `--json` output and every typed row (docs/dev/json-output.md):
 * integers are JSON numbers when |n| ≤ 2^53 − 1, else strings (exact); decimals are strings
 * (exact); floats are numbers; dates and timestamps are ISO 8601 strings; booleans are booleans;
 * NULL is null. Strings, UUIDs and JSON values pass as they are.
 */
export type ValueKind = 'integer' | 'decimal' | 'float' | 'date' | 'timestamp' | 'boolean' | 'other';

/** The kind of a value of an engine (DuckDB) or PostgreSQL type name, e.g. `DECIMAL(12,2)` → decimal. */
export function valueKindOf(typeName: string): ValueKind {
  const t = typeName.trim().toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|INT|INT2|INT4|INT8|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BIGNUM|VARINT)$/.test(
      t,
    )
  )
    return 'integer';
  if (/^(DECIMAL|NUMERIC)\b/.test(t)) return 'decimal';
  if (/^(FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE|DOUBLE PRECISION)$/.test(t)) return 'float';
  if (t === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(t)) return 'timestamp';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  return 'other';
}

/** One value typed by the rule. A value that does not read as its kind is kept as it is. */
export function typedValue(value: unknown, kind: ValueKind): JsonValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'integer': {
      const n =
        typeof value === 'bigint'
          ? value
          : /^-?\d+$/.test(String(value).trim())
            ? BigInt(String(value).trim())
            : undefined;
      if (n === undefined) return plain(value);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case 'decimal':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
        ? String(value)
        : plain(value);
    case 'float': {
      const n = typeof value === 'number' ? value : Number(value);
      // NaN and ±Infinity have no JSON number: their text.
      return Number.isFinite(n) ? n : String(value);
    }
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : isoTimestamp(String(value));
    case 'boolean':
      return typeof value === 'boolean'
        ? value
        : value === 'true' || value === 't'
          ? true
          : value === 'false' || value === 'f'
            ? false
            : plain(value);
    default:
      return plain(value);
  }
}

/** Rows typed column by column (`kinds` by column name; a column without a kind passes as it is). */
export function typedRows<R extends Readonly<Record<string, unknown>>>(
  rows: readonly R[],
  kinds: ReadonlyMap<string, ValueKind>,
): Record<string, JsonValue>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typedValue(v, kinds.get(k) ?? 'other')])),
  );
}

/**
 * JSON text of any value by the rule where the value's own JS type says it: a bigint is a number
 * when safe, else a string; a Date an ISO 8601 string. Indented by two spaces, with a newline.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? typedValue(v, 'integer') : v), 2)}\n`;
}

/** `2026-01-05 10:00:00` → `2026-01-05T10:00:00`; `…+00` → `…+00:00` (DuckDB and PostgreSQL texts). */
function isoTimestamp(text: string): string {
  const t = text.trim().replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
  return t.replace(/([+-]\d{2})$/, '$1:00');
}

function plain(value: unknown): JsonValue {
  if (typeof value === 'bigint') return typedValue(value, 'integer');
  if (value instanceof Date) return value.toISOString();
  return value as JsonValue;
}
