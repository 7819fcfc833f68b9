import { parseColumnType, type ColumnType } from '../../domain/column-type.js';

/**
 * Deterministic sample values for fixtures, by column type, plus the little arithmetic the
 * scaffolder needs to compute the expected output of the SQL it writes (sums and ordering).
 * Values are the text written to CSV; numbers are chosen so that sums are exact.
 */

export function typeOf(text: string): ColumnType {
  const parsed = parseColumnType(text);
  return parsed.ok ? parsed.type : { kind: 'string' };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Whether a column of this type can serve as a join or group key in generated SQL. */
export function isKeyType(type: ColumnType): boolean {
  return (
    type.kind === 'integer' ||
    type.kind === 'string' ||
    type.kind === 'uuid' ||
    type.kind === 'date' ||
    type.kind === 'timestamp' ||
    type.kind === 'decimal'
  );
}

/** Text of a decimal held as an integer count of 10^-scale units. */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** The value of key number `k` (1-based) of a key column: the same in every input that shares the column. */
export function keyValue(column: string, type: ColumnType, k: number): string {
  switch (type.kind) {
    case 'integer':
      return String(k);
    case 'decimal':
      return formatScaled(BigInt(k) * 10n ** BigInt(type.scale), type.scale);
    case 'uuid':
      return `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    case 'date':
      return `2026-01-${pad2(k)}`;
    case 'timestamp':
      return `2026-01-${pad2(k)}T00:00:00Z`;
    default: {
      const stem = column.replace(/_(id|key|code|no|number)$/, '').replace(/_/g, '-') || 'key';
      return `${stem}-${k}`;
    }
  }
}

/** The value of an ordinary column in row `r` (1-based); distinct per row, so primary keys stay unique. */
export function rowValue(column: string, type: ColumnType, r: number, primaryKey = false): string {
  if (primaryKey && (type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'string'))
    return keyValue(column, type, r);
  switch (type.kind) {
    case 'integer':
      return String(r * 2 + 1);
    case 'decimal': {
      const integerDigits = type.precision - type.scale;
      const scale = BigInt(type.scale);
      // r*10 + 0.5 (e.g. 10.50, 20.50) when it fits the precision, else r (1, 2 …), else r units of the scale.
      if (integerDigits >= 2 && type.scale >= 1)
        return formatScaled(BigInt(r * 10) * 10n ** scale + 5n * 10n ** (scale - 1n), type.scale);
      if (integerDigits >= 1) return formatScaled(BigInt(r) * 10n ** scale, type.scale);
      return formatScaled(BigInt(r), type.scale);
    }
    case 'float':
      return `${r}.25`;
    case 'boolean':
      return r % 2 === 1 ? 'true' : 'false';
    case 'date':
      return `2026-01-${pad2(r)}`;
    case 'timestamp':
      return `2026-01-${pad2(r)}T08:30:00Z`;
    case 'uuid':
      return `00000000-0000-4000-9000-${String(r).padStart(12, '0')}`;
    case 'json':
      return `{"n": ${r}}`;
    case 'array':
      return `[${rowValue(column, type.element, r)}]`;
    case 'map':
      return '{}';
    default:
      return `${column.replace(/_/g, '-')}-${r}`;
  }
}
