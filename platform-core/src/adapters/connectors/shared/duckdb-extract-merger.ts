import { invalidArgument, throwIfAborted } from '../../../domain/errors.js';
import { DIFF_OP_COLUMN, type ExtractMerger } from '../../../ports/connector.js';
import { ident, literal, openDuck, scalar } from './extract-writer.js';

/** ExtractMerger with DuckDB: previous snapshot ⊕ extract → next snapshot (Parquet). */
export class DuckDbExtractMerger implements ExtractMerger {
  async merge(request: Parameters<ExtractMerger['merge']>[0]): Promise<{ rowCount: number }> {
    const { previous, extract, out, signal } = request;
    throwIfAborted(signal, 'merging the extract');
    const keyed = extract.mode === 'upsert' || extract.mode === 'diff';
    if (keyed && extract.primaryKey.length === 0)
      throw invalidArgument('primary_key_missing', `A ${extract.mode} extract needs a primary key to merge.`);
    const duck = await openDuck();
    try {
      const c = duck.connection;
      await c.run(`CREATE TABLE ext AS SELECT * FROM read_parquet(${literal(extract.file)}, file_row_number = true)`);
      const pk = extract.primaryKey.map(ident).join(', ');
      // The last row per key wins (extracts are in cursor order).
      const latest = keyed
        ? `SELECT * EXCLUDE (file_row_number) FROM ext QUALIFY row_number() OVER (PARTITION BY ${pk} ORDER BY file_row_number DESC) = 1`
        : 'SELECT * EXCLUDE (file_row_number) FROM ext';
      const kept = previous === null ? null : `SELECT * FROM read_parquet(${literal(previous)})`;
      const untouched = `${kept} AS p ANTI JOIN (SELECT ${pk} FROM ext) AS e USING (${pk})`;
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
      await c.run(`CREATE TABLE merged AS ${sql}`);
      await c.run(`COPY merged TO ${literal(out)} (FORMAT parquet)`);
      return { rowCount: Number((await scalar(c, 'SELECT count(*) FROM merged')) ?? 0) };
    } finally {
      duck.close();
    }
  }
}
