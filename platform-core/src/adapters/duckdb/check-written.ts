import type { DuckDBConnection } from '@duckdb/node-api';
import type { OutputColumnSpec } from '../../ports/engine.js';
import { ident, literal } from './duck-sql.js';
import { checkNotNull, checkPrimaryKey, type ShapeContext } from './shape-result.js';

/**
 * Output.yaml's constraints checked on the Parquet file the one-pass COPY wrote: NOT NULL from
 * the file's own statistics (the per-row-group null counts cost no scan), read back only for a
 * column whose statistics are missing; primary keys with one GROUP BY over the key columns. A
 * violation is reported by the same code (and message, count and samples) as the diagnostic path.
 */
export async function checkWrittenFile(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  ctx: ShapeContext,
  path: string,
  rowCount: number,
): Promise<void> {
  if (rowCount === 0) return;
  const file = `read_parquet(${literal(path)})`;
  const required = output.filter((c) => !c.nullable || c.primaryKey);
  if (required.length > 0 && (await hasNulls(connection, required, path, file)))
    await checkNotNull(connection, output, ctx, file);
  await checkPrimaryKey(connection, output, ctx, file);
}

/** Whether any required column holds a NULL: statistics first, a scan only where they are missing. */
async function hasNulls(
  connection: DuckDBConnection,
  required: readonly OutputColumnSpec[],
  path: string,
  file: string,
): Promise<boolean> {
  const stats = await nullStatistics(connection, path);
  const unknown: OutputColumnSpec[] = [];
  for (const column of required) {
    // Nested columns have no statistics of their own (only their leaves do).
    const nested = column.type.kind === 'array' || column.type.kind === 'map';
    const nulls = nested ? undefined : stats.get(column.name);
    if (nulls === undefined) unknown.push(column);
    else if (nulls > 0) return true;
  }
  if (unknown.length === 0) return false;
  const cond = unknown.map((c) => `${ident(c.name)} IS NULL`).join(' OR ');
  const reader = await connection.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${file} WHERE ${cond})`);
  return reader.getRows()[0]?.[0] === true;
}

/** Null count per top-level column, when every row group of the file records it. */
async function nullStatistics(connection: DuckDBConnection, path: string): Promise<Map<string, number>> {
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema, SUM(stats_null_count), COUNT(*) - COUNT(stats_null_count)
     FROM parquet_metadata(${literal(path)}) GROUP BY path_in_schema`,
  );
  const out = new Map<string, number>();
  for (const [name, nulls, missing] of reader.getRows())
    if (Number(missing) === 0 && nulls !== null) out.set(String(name), Number(nulls));
  return out;
}
