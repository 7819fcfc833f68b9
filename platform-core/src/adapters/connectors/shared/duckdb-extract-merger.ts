import { invalidArgument, throwIfAborted } from '../../../domain/errors.js';
import { DIFF_OP_COLUMN, type ExtractMerger } from '../../../ports/connector.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, ident, literal, openDuck } from './extract-writer.js';

/** ExtractMerger with DuckDB: previous data ⊕ extract → next full data (Parquet), in one COPY. */
export class DuckDbExtractMerger implements ExtractMerger {
  async merge(request: Parameters<ExtractMerger['merge']>[0]): Promise<{ rowCount: number }> {
    const { previous, extract, out, signal } = request;
    throwIfAborted(signal, 'merging the extract');
    const keyed = extract.mode === 'upsert' || extract.mode === 'diff';
    if (keyed && extract.primaryKey.length === 0)
      throw invalidArgument('primary_key_missing', `A ${extract.mode} extract needs a primary key to merge.`);
    const duck = await openDuck();
    const interrupt = () => duck.connection.interrupt();
    signal.addEventListener('abort', interrupt, { once: true });
    try {
      throwIfAborted(signal, 'merging an extract'); // aborted while DuckDB was opening
      const c = duck.connection;
      const [fromExtract, fromPrevious, nothingKept] = await alignTypes(c, extract.file, previous);
      const ext = `(SELECT *${fromExtract} FROM read_parquet(${literal(extract.file)}, file_row_number = true))`;
      const pk = extract.primaryKey.map(ident).join(', ');
      // The last row per key wins (extracts are in cursor order).
      const latest = keyed
        ? `SELECT * EXCLUDE (file_row_number) FROM ${ext} QUALIFY row_number() OVER (PARTITION BY ${pk} ORDER BY file_row_number DESC) = 1`
        : `SELECT * EXCLUDE (file_row_number) FROM ${ext}`;
      const kept =
        previous === null || nothingKept ? null : `SELECT *${fromPrevious} FROM read_parquet(${literal(previous)})`;
      const untouched = `${kept} AS p ANTI JOIN (SELECT ${pk} FROM ${ext}) AS e USING (${pk})`;
      let sql: string;
      switch (extract.mode) {
        case 'replace':
          sql = latest;
          break;
        case 'append':
          sql = kept ? `${kept} UNION ALL BY NAME ${latest}` : latest;
          break;
        case 'upsert':
          sql = kept ? `(${untouched}) UNION ALL BY NAME (${latest})` : latest;
          break;
        case 'diff': {
          const live = `SELECT * EXCLUDE (${ident(DIFF_OP_COLUMN)}) FROM (${latest}) WHERE ${ident(DIFF_OP_COLUMN)} <> 'delete'`;
          sql = kept ? `(${untouched}) UNION ALL BY NAME (${live})` : live;
          break;
        }
      }
      // One pass: COPY reports how many rows it wrote.
      const written = await c.run(`COPY (${sql}) TO ${literal(out)} (FORMAT parquet)`);
      return { rowCount: Number(written.rowsChanged) };
    } catch (e) {
      throwIfAborted(signal, 'merging the extract');
      throw e;
    } finally {
      signal.removeEventListener('abort', interrupt);
      duck.close();
    }
  }
}

const EMPTY = '__hekima_empty';

/** Types DuckDB gives a column it saw only NULLs in (JSON lines), which say nothing about the data. */
const UNTYPED = new Set(['JSON', '"NULL"', 'NULL']);

/**
 * `REPLACE (…)` clauses so that a column typed only by NULLs on one side (an extract whose
 * `customer_id` was always null reads as JSON) takes the other side's type instead of forcing
 * the union to it. Other differences are left to DuckDB's union (numeric widening, VARCHAR).
 */
async function alignTypes(
  c: DuckDBConnection,
  file: string,
  previous: string | null,
): Promise<[string, string, boolean]> {
  if (previous === null) return ['', '', false];
  const types = async (path: string) =>
    new Map((await describe(c, `(SELECT * FROM read_parquet(${literal(path)}))`)).map((col) => [col.name, col.type]));
  const ext = await types(file);
  const prev = await types(previous);
  // A first extract that knew no columns (an API with no records yet) left a zero-row file with
  // only a placeholder column: there is nothing to keep.
  if (prev.size === 1 && prev.has(EMPTY)) return ['', '', true];
  const toExtract: string[] = [];
  const toPrevious: string[] = [];
  for (const [name, type] of ext) {
    const other = prev.get(name);
    if (other === undefined || other === type) continue;
    if (UNTYPED.has(type) && !UNTYPED.has(other)) toExtract.push(`CAST(${ident(name)} AS ${other}) AS ${ident(name)}`);
    else if (UNTYPED.has(other) && !UNTYPED.has(type))
      toPrevious.push(`CAST(${ident(name)} AS ${type}) AS ${ident(name)}`);
  }
  const clause = (list: string[]) => (list.length > 0 ? ` REPLACE (${list.join(', ')})` : '');
  return [clause(toExtract), clause(toPrevious), false];
}
