import { classificationRank, isClassification, type Classification } from '../classification.js';
import type { JsonValue } from '../json.js';

/** What a masked cell reads as, everywhere data crosses a read boundary. */
export const MASKED = '***MASKED***';

/**
 * Whether a viewer with `clearance` may read a value classified `level`. Fails closed: an
 * unknown or absent clearance reads only `public`; an unknown column level counts as `restricted`.
 */
export function mayRead(level: string | undefined, clearance: string | undefined): boolean {
  const columnLevel: Classification = level === undefined ? 'public' : isClassification(level) ? level : 'restricted';
  const viewer: Classification = isClassification(clearance) ? clearance : 'public';
  return classificationRank(columnLevel) <= classificationRank(viewer);
}

/**
 * Masks the cells of rows whose column is classified above the viewer's clearance. A column
 * without its own classification takes `defaultLevel` (the product's level, when known); a
 * column of the rows that the classification map does not name (a computed one such as
 * `occurrences`) is treated the same way.
 */
export function maskRows(
  rows: readonly Readonly<Record<string, JsonValue>>[],
  columns: Readonly<Record<string, string | undefined>>,
  clearance: string | undefined,
  defaultLevel?: string,
): Readonly<Record<string, JsonValue>>[] {
  const cache = new Map<string, boolean>();
  const visible = (column: string): boolean => {
    let ok = cache.get(column);
    if (ok === undefined) {
      ok = mayRead(columns[column] ?? defaultLevel, clearance);
      cache.set(column, ok);
    }
    return ok;
  };
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null || visible(k) ? v : MASKED])),
  );
}
