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
 * session time zone is UTC); a plain TIMESTAMP cast would drop it.
 */
export function castTo(expr: string, type: ColumnType | undefined, sourceIsText: boolean, strict = true): string {
  if (!type) return expr;
  const cast = strict ? 'CAST' : 'TRY_CAST';
  if (type.kind === 'timestamp' && sourceIsText) return `${cast}(${cast}(${expr} AS TIMESTAMPTZ) AS TIMESTAMP)`;
  return `${cast}(${expr} AS ${duckType(type)})`;
}

/** Whether a DuckDB type name is text. */
export function isTextType(duckTypeName: string): boolean {
  return duckTypeName === 'VARCHAR' || duckTypeName.startsWith('VARCHAR');
}
