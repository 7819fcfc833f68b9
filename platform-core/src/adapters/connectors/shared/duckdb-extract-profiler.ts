import type { ExtractProfile, ExtractProfiler } from '../../../ports/connector.js';
import { throwIfAborted } from '../../../domain/errors.js';
import type { FileTableSource } from '../../../ports/engine.js';
import { selectOf } from '../../duckdb/load-inputs.js';
import { describe, ident, openDuck } from './extract-writer.js';

/**
 * Measures an extract for fitness checks with DuckDB: row count, columns, NULLs, newest time. It
 * reads the extract as the engine will (a Parquet copy, or the source files in place).
 */
export class DuckDbExtractProfiler implements ExtractProfiler {
  async profile(
    source: FileTableSource,
    wanted: { readonly nullColumns: readonly string[]; readonly timeColumns: readonly string[] },
    signal: AbortSignal,
  ): Promise<ExtractProfile> {
    throwIfAborted(signal, 'profiling the extract');
    const duck = await openDuck();
    try {
      const c = duck.connection;
      await c.run(`CREATE VIEW extract AS ${selectOf(source)}`);
      const columns = (await describe(c, 'extract')).filter((col) => col.name !== '__hekima_empty');
      const has = new Set(columns.map((col) => col.name));
      const nullCols = [...new Set(wanted.nullColumns)].filter((n) => has.has(n));
      const timeCols = [...new Set(wanted.timeColumns)].filter((n) => has.has(n));
      const exprs = [
        'count(*) AS n',
        ...nullCols.map((n, i) => `count(*) - count(${ident(n)}) AS null_${i}`),
        ...timeCols.map((n, i) => `epoch_ms(max(TRY_CAST(${ident(n)} AS TIMESTAMPTZ))) AS newest_${i}`),
      ];
      const reader = await c.runAndReadAll(`SELECT ${exprs.join(', ')} FROM extract`);
      const row = reader.getRowObjectsJson()[0] ?? {};
      const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
      return {
        rowCount: num(row['n']) ?? 0,
        columns,
        nulls: Object.fromEntries(nullCols.map((n, i) => [n, num(row[`null_${i}`]) ?? 0])),
        newestMs: Object.fromEntries(timeCols.map((n, i) => [n, num(row[`newest_${i}`])])),
      };
    } finally {
      duck.close();
    }
  }
}
