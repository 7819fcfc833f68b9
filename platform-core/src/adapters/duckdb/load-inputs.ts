import type { DuckDBConnection } from '@duckdb/node-api';
import { invalidArgument } from '../../domain/errors.js';
import { headline } from './error-location.js';
import type { BoundInput, RowSetColumn, TableSource } from '../../ports/engine.js';
import { castTo, ident, literal, tableNamesOf } from './duck-sql.js';

/** The SELECT reading a source, typed when the source declares its columns. */
export function selectOf(source: TableSource): string {
  if (source.kind === 'rows') return rowsSelect(source.columns);
  const path = literal(source.path);
  switch (source.format) {
    case 'parquet':
      return `SELECT * FROM read_parquet(${path})`;
    case 'json':
      return source.columns
        ? typedSelect(`read_json(${path}, format = 'auto', columns = ${jsonColumns(source.columns)})`, source.columns)
        : `SELECT * FROM read_json_auto(${path}, format = 'auto')`;
    case 'csv':
      return source.columns
        ? typedSelect(`read_csv(${path}, header = true, all_varchar = true)`, source.columns)
        : `SELECT * FROM read_csv(${path}, header = true)`;
  }
}

function typedSelect(from: string, columns: readonly RowSetColumn[]): string {
  const list = columns.map((c) => `${castTo(ident(c.name), c.type, true)} AS ${ident(c.name)}`).join(', ');
  return `SELECT ${list || '*'} FROM ${from}`;
}

function jsonColumns(columns: readonly RowSetColumn[]): string {
  return `{${columns.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ')}}`;
}

/** Rows passed in memory arrive as one JSON parameter ($1) and are cast from text. */
function rowsSelect(columns: readonly RowSetColumn[]): string {
  const list = columns
    .map(
      (c) =>
        `${castTo(`json_extract_string(j, ${literal(`$.${JSON.stringify(c.name)}`)})`, c.type, true)} AS ${ident(c.name)}`,
    )
    .join(', ');
  return `SELECT ${list} FROM (SELECT unnest(CAST($1 AS JSON[])) AS j)`;
}

export function rowsParameter(source: Extract<TableSource, { kind: 'rows' }>): string {
  return JSON.stringify(
    source.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of source.columns) {
        const v = row[c.name];
        out[c.name] =
          v === undefined || v === null
            ? null
            : typeof v === 'object' && !(v instanceof Date)
              ? JSON.stringify(v)
              : String(v instanceof Date ? v.toISOString() : v);
      }
      return out;
    }),
  );
}

/** Creates a table per source (named by a given name) in the connection. */
export async function createTable(connection: DuckDBConnection, name: string, source: TableSource): Promise<void> {
  const sql = `CREATE TABLE ${ident(name)} AS ${selectOf(source)}`;
  if (source.kind === 'rows') {
    if (source.rows.length === 0) {
      const cols = source.columns
        .map((c) => `${castTo('NULL', c.type ?? { kind: 'string' }, false)} AS ${ident(c.name)}`)
        .join(', ');
      await connection.run(`CREATE TABLE ${ident(name)} AS SELECT ${cols} LIMIT 0`);
    } else await connection.run(sql, [rowsParameter(source)]);
  } else await connection.run(sql);
}

/** Binds every input as a table named by its id, plus a view in underscore form. */
export async function bindInputs(connection: DuckDBConnection, inputs: readonly BoundInput[]): Promise<void> {
  for (const input of inputs) {
    const [table, ...aliases] = tableNamesOf(input.id);
    try {
      await createTable(connection, table ?? input.id, input.source);
    } catch (e) {
      const from = input.source.kind === 'file' ? ` from ${input.source.path}` : '';
      throw invalidArgument(
        'input_unreadable',
        `input "${input.id}" cannot be loaded${from}: ${headline((e as Error).message)}`,
        { cause: e, details: { input: input.id } },
      );
    }
    for (const alias of aliases)
      await connection.run(`CREATE VIEW ${ident(alias)} AS SELECT * FROM ${ident(input.id)}`);
  }
}
