import type { DuckDBConnection } from '@duckdb/node-api';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { ExtractColumn } from '../../../ports/connector.js';
import { takeInstance } from '../../duckdb/spare-instances.js';

/**
 * DuckDB outside the transform sandbox, for connectors: reading source files and writing
 * extracts as Parquet. A fresh in-memory instance per use; extensions are never auto-installed.
 */
export interface DuckHandle {
  readonly connection: DuckDBConnection;
  close(): void;
}

export async function openDuck(): Promise<DuckHandle> {
  const instance = await takeInstance({
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export async function describe(connection: DuckDBConnection, relation: string): Promise<ExtractColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${relation}`);
  return reader.getRowObjectsJson().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

export async function scalar(connection: DuckDBConnection, sql: string): Promise<string | null> {
  const reader = await connection.runAndReadAll(sql);
  const value = reader.getRowsJson()[0]?.[0];
  return value === undefined || value === null ? null : String(value);
}

/** Writes rows as JSON lines (one object per line), streaming; returns the path. */
export async function writeJsonLines(
  path: string,
  rows: AsyncIterable<Readonly<Record<string, unknown>>> | Iterable<Readonly<Record<string, unknown>>>,
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let count = 0;
  try {
    for await (const row of rows) {
      if (!out.write(JSON.stringify(row) + '\n')) await once(out, 'drain');
      count++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/**
 * Converts a JSON-lines file into the Parquet extract in ONE pass (`COPY (SELECT …) TO …` reports
 * the rows it wrote). With `columns` (types known, values as text), every column is cast to its
 * type; without, DuckDB detects the types. Returns the extract's row count and columns (an empty
 * file with unknown columns gives no columns).
 */
export async function jsonLinesToParquet(
  jsonl: string,
  rowCount: number,
  columns: readonly ExtractColumn[] | undefined,
  out: string,
): Promise<{ rowCount: number; columns: ExtractColumn[] }> {
  const duck = await openDuck();
  try {
    const c = duck.connection;
    let select: string;
    if (columns && rowCount > 0) {
      const text = `{${columns.map((col) => `${literal(col.name)}: 'VARCHAR'`).join(', ')}}`;
      const casts = columns.map((col) => `CAST(${ident(col.name)} AS ${col.type}) AS ${ident(col.name)}`).join(', ');
      select = `SELECT ${casts} FROM read_json(${literal(jsonl)}, format = 'newline_delimited', columns = ${text})`;
    } else if (columns) {
      // No rows, known columns: a typed zero-row file.
      const nulls = columns.map((col) => `CAST(NULL AS ${col.type}) AS ${ident(col.name)}`).join(', ');
      select = `SELECT ${nulls || 'NULL::VARCHAR AS __hekima_empty'} LIMIT 0`;
    } else if (rowCount > 0) {
      select = `SELECT * FROM read_json(${literal(jsonl)}, format = 'newline_delimited')`;
    } else {
      // Nothing read and no schema known (an API that returned no records yet): a zero-row file.
      await c.run(`COPY (SELECT NULL::VARCHAR AS __hekima_empty LIMIT 0) TO ${literal(out)} (FORMAT parquet)`);
      return { rowCount: 0, columns: [] };
    }
    const written = await c.run(`COPY (${select}) TO ${literal(out)} (FORMAT parquet)`);
    return {
      rowCount: Number(written.rowsChanged),
      columns: await describe(c, `(SELECT * FROM read_parquet(${literal(out)}))`),
    };
  } finally {
    duck.close();
  }
}

export const extractPath = (workDir: string, inputId: string): string => join(workDir, `${inputId}.parquet`);
