import type { ColumnType } from '../../domain/column-type.js';
import { duckType } from '../../domain/plan/engine-type.js';

export { duckType };
export { inputTableNames as tableNamesOf } from '../../domain/plan/sql-text.js';

/** SQL text helpers for DuckDB: identifiers, literals and the output types. */

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Casts an expression to a declared type. Text holding a timestamp with an offset
 * (`2026-03-02T09:12:40+03:00`, `…Z`) goes through TIMESTAMPTZ so the offset is honoured (the
 * session time zone is UTC); a plain TIMESTAMP cast would drop it. `sourceType` is the DuckDB type
 * of the expression when known.
 */
export function castTo(
  expr: string,
  type: ColumnType | undefined,
  sourceIsText: boolean,
  strict = true,
  sourceType?: string,
): string {
  if (!type) return expr;
  const cast = strict ? 'CAST' : 'TRY_CAST';
  if (type.kind === 'timestamp' && sourceIsText) return utcTimestamp(`${cast}(${expr} AS TIMESTAMPTZ)`, cast);
  if (type.kind === 'timestamp' && sourceType === 'TIMESTAMP WITH TIME ZONE') return utcTimestamp(expr, cast);
  return `${cast}(${expr} AS ${duckType(type)})`;
}

/**
 * TIMESTAMPTZ → TIMESTAMP in a UTC session: the same instant's microseconds, without the
 * calendar conversion a CAST does per value (several times slower on large results). Infinite
 * values have no microseconds; they (and only they, besides NULL) take the CAST.
 */
function utcTimestamp(tz: string, cast: string): string {
  return `COALESCE(make_timestamp(epoch_us(${tz})), ${cast}(${tz} AS TIMESTAMP))`;
}

/** Whether a DuckDB type name is text. */
export function isTextType(duckTypeName: string): boolean {
  return duckTypeName === 'VARCHAR' || duckTypeName.startsWith('VARCHAR');
}
