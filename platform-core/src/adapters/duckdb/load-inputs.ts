import type { DuckDBConnection } from '@duckdb/node-api';
import { invalidArgument } from '../../domain/errors.js';
import { headline } from './error-location.js';
import {
  filePaths,
  type BoundInput,
  type FileTableSource,
  type RowSetColumn,
  type TableSource,
} from '../../ports/engine.js';
import { castTo, ident, literal, tableNamesOf } from './duck-sql.js';

/** The SELECT reading a source, typed when the source declares its columns. */
export function selectOf(source: TableSource): string {
  if (source.kind === 'rows') return rowsSelect(source.columns);
  const paths = filePaths(source);
  if (paths.length === 0) throw new Error('no file to read');
  // One file reads exactly as it always did; several are one table, columns matched by name.
  const path = paths.length === 1 ? literal(paths[0] ?? '') : `[${paths.map(literal).join(', ')}]`;
  const union = paths.length === 1 ? '' : ', union_by_name = true';
  switch (source.format) {
    case 'parquet':
      return `SELECT * FROM read_parquet(${path}${union})`;
    case 'json':
      return source.columns
        ? typedSelect(
            `read_json(${path}, format = 'auto', columns = ${jsonColumns(source.columns)}${union})`,
            source.columns,
          )
        : `SELECT * FROM read_json_auto(${path}, format = 'auto'${union})`;
    case 'csv':
      return source.columns
        ? typedSelect(`read_csv(${path}, header = true, all_varchar = true${union})`, source.columns)
        : `SELECT * FROM read_csv(${path}, header = true${union})`;
  }
}

/** Where a source comes from, for messages. */
export function sourceLabel(source: TableSource): string {
  if (source.kind === 'rows') return 'rows';
  const paths = filePaths(source);
  return paths.length === 1 ? (paths[0] ?? '') : `${paths[0] ?? ''} (and ${paths.length - 1} more)`;
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
  if (source.kind === 'rows') {
    if (source.rows.length === 0) {
      const cols = source.columns
        .map((c) => `${castTo('NULL', c.type ?? { kind: 'string' }, false)} AS ${ident(c.name)}`)
        .join(', ');
      await connection.run(`CREATE TABLE ${ident(name)} AS SELECT ${cols} LIMIT 0`);
    } else await connection.run(`CREATE TABLE ${ident(name)} AS ${selectOf(source)}`, [rowsParameter(source)]);
  } else await connection.run(`CREATE TABLE ${ident(name)} AS ${selectOf(source)}`);
}

/**
 * Binds every input under its id, plus a view in underscore form. A file is a VIEW over the
 * file (read where it lies, streamed by the query that uses it; the view binds now, so a missing
 * or unreadable file fails here); in-memory rows become a table. Returns the files the views
 * read: the session must keep them readable once it is locked.
 */
export async function bindInputs(connection: DuckDBConnection, inputs: readonly BoundInput[]): Promise<string[]> {
  const readable: string[] = [];
  for (const input of inputs) {
    const [table, ...aliases] = tableNamesOf(input.id);
    const name = table ?? input.id;
    try {
      if (input.source.kind === 'file') {
        const select = (await pinnedCsv(connection, input.source)) ?? selectOf(input.source);
        await connection.run(`CREATE VIEW ${ident(name)} AS ${select}`);
        readable.push(...filePaths(input.source));
      } else await createTable(connection, name, input.source);
    } catch (e) {
      const from = input.source.kind === 'file' ? ` from ${sourceLabel(input.source)}` : '';
      throw invalidArgument(
        'input_unreadable',
        `input "${input.id}" cannot be loaded${from}: ${headline((e as Error).message)}`,
        { cause: e, details: { input: input.id } },
      );
    }
    for (const alias of aliases)
      await connection.run(`CREATE VIEW ${ident(alias)} AS SELECT * FROM ${ident(input.id)}`);
  }
  return readable;
}

/**
 * The SELECT of a single CSV file with DuckDB's sniffed dialect and column types written out
 * (`sniff_csv`'s own prompt, `auto_detect=false`): the same reading as `selectOf`, but a view
 * over it binds without sampling the file again (every query naming the view re-binds it).
 * Undefined when the file cannot be sniffed (`selectOf` then reports why).
 */
async function pinnedCsv(connection: DuckDBConnection, source: FileTableSource): Promise<string | undefined> {
  const paths = filePaths(source);
  const path = paths[0];
  if (source.format !== 'csv' || paths.length !== 1 || path === undefined) return undefined;
  if (source.csvOptions !== undefined && !source.columns)
    return `SELECT * FROM read_csv(${literal(path)}, ${source.csvOptions}`;
  const options = await sniffedCsvOptions(
    connection,
    path,
    source.columns ? 'header = true, all_varchar = true' : 'header = true',
  );
  if (options === undefined) return undefined;
  const from = `read_csv(${literal(path)}, ${options}`;
  return source.columns ? typedSelect(from, source.columns) : `SELECT * FROM ${from}`;
}

/**
 * DuckDB's sniff of one CSV file as `read_csv` options after the path (`auto_detect=false, …)`,
 * closing parenthesis included); undefined when the file cannot be sniffed.
 */
export async function sniffedCsvOptions(
  connection: DuckDBConnection,
  path: string,
  options = 'header = true',
): Promise<string | undefined> {
  let prompt: string;
  try {
    const reader = await connection.runAndReadAll(`SELECT Prompt FROM sniff_csv(${literal(path)}, ${options})`);
    prompt = String(reader.getRows()[0]?.[0] ?? '');
  } catch {
    return undefined;
  }
  // `FROM read_csv('<path>', auto_detect=false, …);`: keep the options, quote the path ourselves.
  const head = "FROM read_csv('";
  const at = prompt.indexOf("', auto_detect=false,", head.length + path.length);
  if (!prompt.startsWith(head) || at < 0) return undefined;
  return prompt.slice(at + 3).replace(/;\s*$/, '');
}

/** Inputs whose view casts text to declared types: a bad value there surfaces only when read. */
export function typedTextInputs(inputs: readonly BoundInput[]): BoundInput[] {
  return inputs.filter((i) => i.source.kind === 'file' && i.source.format !== 'parquet' && i.source.columns);
}

/**
 * After a failed run: reads each typed text input in full, and reports the first that cannot be
 * read as `input_unreadable` (as loading it into a table would have).
 */
export async function diagnoseInputs(connection: DuckDBConnection, inputs: readonly BoundInput[]): Promise<void> {
  for (const input of typedTextInputs(inputs)) {
    try {
      await connection.run(`CREATE TEMP TABLE "__hekima_probe" AS SELECT * FROM ${ident(input.id)}`);
      await connection.run('DROP TABLE "__hekima_probe"');
    } catch (e) {
      if (/^INTERRUPT/i.test((e as Error).message)) throw e;
      throw invalidArgument(
        'input_unreadable',
        `input "${input.id}" cannot be loaded from ${sourceLabel(input.source)}: ${headline((e as Error).message)}`,
        { cause: e, details: { input: input.id } },
      );
    }
  }
}
