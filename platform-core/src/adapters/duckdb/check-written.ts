import type { DuckDBConnection } from '@duckdb/node-api';
import type { OutputColumnSpec } from '../../ports/engine.js';
import { ident, literal } from './duck-sql.js';
import { checkNotNull, checkPrimaryKey, type ShapeContext } from './shape-result.js';

/**
 * Output.yaml's constraints checked on the Parquet file the one-pass COPY wrote: NOT NULL from
 * the file's own statistics (the per-row-group null counts cost no scan), read back only for a
 * column whose statistics are missing; primary keys proven unique by the logic's own GROUP BY
 * (`keyProven`, see key-proof.ts) are not checked, a single integer key is counted with a bitmap
 * of its values, other keys with one GROUP BY over the key columns. A
 * violation is reported by the same code (and message, count and samples) as the diagnostic path.
 */
export async function checkWrittenFile(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  ctx: ShapeContext,
  path: string,
  rowCount: number,
  options: { readonly keyProven?: boolean } = {},
): Promise<void> {
  if (rowCount === 0) return;
  const file = `read_parquet(${literal(path)})`;
  const stats = await fileStatistics(connection, path);
  const required = output.filter((c) => !c.nullable || c.primaryKey);
  if (required.length > 0 && (await hasNulls(connection, required, stats, file)))
    await checkNotNull(connection, output, ctx, file);
  if (options.keyProven || (await integerKeyIsDense(connection, output, stats, file, rowCount))) return;
  await checkPrimaryKey(connection, output, ctx, file);
}

/** Bits a key's value range may span for the bitmap test (8 MiB of bitmap). */
const MAX_BITMAP_BITS = 2 ** 26;

/**
 * One integer key column (no NULLs by now) whose values, per the file's statistics, lie in a range
 * of at most MAX_BITMAP_BITS: one bitmap of the values present (`bitstring_agg`) counts the
 * distinct keys in a single cheap scan — as many as rows means no duplicate. False when the test
 * does not apply or finds fewer (then the GROUP BY check runs and reports the duplicates).
 */
async function integerKeyIsDense(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  stats: ReadonlyMap<string, ColumnStatistics>,
  file: string,
  rowCount: number,
): Promise<boolean> {
  const keys = output.filter((c) => c.primaryKey);
  if (keys.length !== 1 || keys[0]!.type.kind !== 'integer') return false;
  const key = keys[0]!;
  const range = stats.get(key.name);
  if (range?.min === undefined || range.max === undefined || range.max - range.min + 1n > BigInt(MAX_BITMAP_BITS))
    return false;
  try {
    const reader = await connection.runAndReadAll(
      `SELECT bit_count(bitstring_agg(${ident(key.name)}, ${range.min}, ${range.max})) FROM ${file}`,
    );
    return Number(reader.getRows()[0]?.[0]) === rowCount;
  } catch {
    return false;
  }
}

/** Whether any required column holds a NULL: statistics first, a scan only where they are missing. */
async function hasNulls(
  connection: DuckDBConnection,
  required: readonly OutputColumnSpec[],
  stats: ReadonlyMap<string, ColumnStatistics>,
  file: string,
): Promise<boolean> {
  const unknown: OutputColumnSpec[] = [];
  for (const column of required) {
    // Nested columns have no statistics of their own (only their leaves do).
    const nested = column.type.kind === 'array' || column.type.kind === 'map';
    const nulls = nested ? undefined : stats.get(column.name)?.nulls;
    if (nulls === undefined) unknown.push(column);
    else if (nulls > 0) return true;
  }
  if (unknown.length === 0) return false;
  const cond = unknown.map((c) => `${ident(c.name)} IS NULL`).join(' OR ');
  const reader = await connection.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${file} WHERE ${cond})`);
  return reader.getRows()[0]?.[0] === true;
}

/** What a top-level column's statistics say over every row group (absent where one lacks them). */
interface ColumnStatistics {
  readonly nulls?: number;
  /** Integer columns only: the smallest and largest value. */
  readonly min?: bigint;
  readonly max?: bigint;
}

/** Per top-level column: NULLs, and the range of an integer column, when every row group records them. */
async function fileStatistics(connection: DuckDBConnection, path: string): Promise<Map<string, ColumnStatistics>> {
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema, SUM(stats_null_count), COUNT(*) - COUNT(stats_null_count),
            CAST(MIN(TRY_CAST(stats_min_value AS HUGEINT)) AS VARCHAR),
            CAST(MAX(TRY_CAST(stats_max_value AS HUGEINT)) AS VARCHAR),
            2 * COUNT(*) - COUNT(TRY_CAST(stats_min_value AS HUGEINT)) - COUNT(TRY_CAST(stats_max_value AS HUGEINT)),
            bool_and(type IN ('INT32', 'INT64'))
     FROM parquet_metadata(${literal(path)}) GROUP BY path_in_schema`,
  );
  const out = new Map<string, ColumnStatistics>();
  for (const [name, nulls, missing, min, max, missingRange, integer] of reader.getRows()) {
    const known = Number(missing) === 0 && nulls !== null;
    const ranged = integer === true && min !== null && max !== null && Number(missingRange) === 0;
    out.set(String(name), {
      ...(known ? { nulls: Number(nulls) } : {}),
      ...(ranged ? { min: BigInt(String(min)), max: BigInt(String(max)) } : {}),
    });
  }
  return out;
}
