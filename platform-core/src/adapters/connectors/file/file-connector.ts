import { access } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import {
  invalidArgument,
  isHekimaError,
  permanent,
  schemaIncompatible,
  throwIfAborted,
  transient,
} from '../../../domain/errors.js';
import { settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { JsonObject } from '../../../domain/json.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Connector, Extract, ExtractRequest, ResolvedConnection } from '../../../ports/connector.js';
import type { FileTableSource } from '../../../ports/engine.js';
import { selectOf, sniffedCsvOptions } from '../../duckdb/load-inputs.js';
import { describe, extractPath, ident, literal, openDuck, scalar } from '../shared/extract-writer.js';
import { assertUnchanged } from '../shared/source-files.js';
import { primaryKeyOf, stateColumns, stateString } from '../shared/state.js';
import { PathGuard } from '../../fs/path-guard.js';
import { matchFiles, type SourceFile } from './file-paths.js';
import { assertWellFormedCsv } from './malformed-csv.js';

type Format = 'csv' | 'jsonl' | 'json' | 'parquet';

/**
 * Local files (CSV, JSON lines, JSON, Parquet) read with DuckDB, outside the transform sandbox
 * (its own instance, limited to the connection's folder and the work folder).
 * `config.path` is a folder relative to the workspace root; `ingestion_config.path` a file or glob
 * under it. full_refresh reads every matched file IN PLACE (the extract is the files themselves).
 * incremental and file_watch copy only files that are new or changed (state: name → size:mtime);
 * with `cursor_field` the rows are also filtered above the committed high-water mark (an appended
 * file yields only its new lines).
 */
export class FileConnector implements Connector {
  readonly type = 'file' as const;

  private readonly guard: PathGuard;

  /** `protectedPaths`: what no path may reach besides `<workspace>/.hekima` (the lake root, the key folder). */
  constructor(workspaceRoot: string, protectedPaths: readonly string[] = []) {
    this.guard = new PathGuard(workspaceRoot, protectedPaths);
  }

  async check(connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal, 'checking the connection');
    const folder = await this.guard.folder(settingText(connection.config['path']));
    await access(folder);
  }

  async extract(request: ExtractRequest): Promise<Extract> {
    const { connection, input, signal } = request;
    const folder = await this.guard.folder(settingText(connection.config['path']));
    const pattern = settingText(input.config['path']);
    if (!pattern) throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.path.`);
    const files = await matchFiles(this.guard, folder, pattern, signal);
    if (files.length === 0)
      throw transient('no_files_matched', `No file matches "${pattern}" in the connection '${connection.name}'.`, {
        details: { input: input.id, path: pattern },
      });
    const format = formatOf(settingText(input.config['format']), settingText(connection.config['format']), files);
    const duck = await openDuck();
    const interrupt = () => duck.connection.interrupt();
    signal.addEventListener('abort', interrupt, { once: true });
    try {
      const c = duck.connection;
      // Defence in depth: this DuckDB may touch the connection's folder and the work folder only.
      const dirs = [folder, request.workDir].map((d) => literal(d.endsWith(sep) ? d : d + sep));
      await c.run(`SET allowed_directories = [${dirs.join(', ')}]`);
      await c.run('SET enable_external_access = false');
      await c.run('SET lock_configuration = true');
      throwIfAborted(signal, 'reading files');
      const root = await this.guard.realRoot();
      const label = (f: SourceFile) => relative(root, f.path).split(sep).join('/');
      const extract =
        input.strategy === 'full_refresh'
          ? await inPlace(c, input.id, files, format)
          : await copied(c, request, files, format);
      if (format === 'csv') await assertWellFormedCsv(c, input.id, files, extract.columns, label);
      return extract;
    } catch (e) {
      throwIfAborted(signal, 'reading files');
      throw wrapRead(e, input.id);
    } finally {
      signal.removeEventListener('abort', interrupt);
      duck.close();
    }
  }
}

/**
 * full_refresh: the extract IS the source files, read in place by the engine (no copy). Only the
 * columns are read here (DuckDB samples the files, as the engine will); the state records each
 * file's signature, and `confirm` re-checks them right before the commit.
 */
async function inPlace(c: DuckDBConnection, inputId: string, files: readonly SourceFile[], format: Format) {
  const paths = files.map((f) => f.path);
  // One CSV: sniff it once here and hand the engine the result, so it does not sample it again.
  const csvOptions = format === 'csv' && paths.length === 1 ? await sniffedCsvOptions(c, paths[0]!) : undefined;
  const source: FileTableSource = {
    kind: 'file',
    format: format === 'jsonl' ? 'json' : format,
    ...(paths.length === 1 ? { path: paths[0]! } : { paths }),
    ...(csvOptions !== undefined ? { csvOptions } : {}),
  };
  const columns = await describe(
    c,
    csvOptions !== undefined
      ? `(SELECT * FROM read_csv(${literal(paths[0]!)}, ${csvOptions})`
      : `(${selectOf(source)})`,
  );
  const extract: Extract = {
    source,
    inPlace: true,
    rowCount: null,
    columns,
    mode: 'replace',
    primaryKey: [],
    state: { files: signatures(files), columns: stateColumns(columns) },
    confirm: (signal) => assertUnchanged(inputId, files, signal),
  };
  return extract;
}

/**
 * incremental and file_watch: only new or changed files, written to a Parquet extract in ONE pass
 * (`COPY (SELECT … FROM read_…) TO …` gives the row count), filtered above the high-water mark
 * with `cursor_field`. Without a primary key or a cursor, a file that was read before and changed
 * cannot be told apart from its old rows: every file is read again and the extract replaces the
 * input's data (no duplicates, nothing lost).
 */
async function copied(
  c: DuckDBConnection,
  request: ExtractRequest,
  files: readonly SourceFile[],
  format: Format,
): Promise<Extract> {
  const { input, state, signal } = request;
  const seen = (state?.['files'] ?? {}) as Readonly<Record<string, string>>;
  const cursorField = settingText(input.config['cursor_field']);
  const primaryKey = primaryKeyOf(input.config);
  const previous = stateString(state, 'cursor');
  const changed = files.filter((f) => seen[f.name] !== f.signature);
  const rewritten = changed.some((f) => seen[f.name] !== undefined);
  const rereadAll = rewritten && !cursorField && primaryKey.length === 0;
  const read = rereadAll ? files : changed;
  const out = extractPath(request.workDir, input.id);
  // Nothing changed: the schema only, so the empty extract still has its columns.
  const from = `(SELECT * FROM ${reader(format, read.length > 0 ? read : files)}${read.length > 0 ? '' : ' LIMIT 0'})`;
  let where = '';
  if (cursorField) {
    const col = (await describe(c, from)).find((x) => x.name === cursorField);
    if (!col)
      throw schemaIncompatible(
        'cursor_field_missing',
        `Input "${input.id}": the files have no column "${cursorField}".`,
      );
    if (previous !== undefined) where = ` WHERE ${ident(cursorField)} > CAST(${literal(previous)} AS ${col.type})`;
  }
  const order = cursorField ? ` ORDER BY ${ident(cursorField)}` : '';
  const written = await c.run(`COPY (SELECT * FROM ${from}${where}${order}) TO ${literal(out)} (FORMAT parquet)`);
  const rowCount = Number(written.rowsChanged);
  // Metadata and one column of what was just written: cheap.
  const columns = await describe(c, `(SELECT * FROM read_parquet(${literal(out)}))`);
  const max = cursorField
    ? await scalar(c, `SELECT CAST(max(${ident(cursorField)}) AS VARCHAR) FROM read_parquet(${literal(out)})`)
    : null;
  const cursor = max ?? previous;
  // The state records the signatures listed before the read: they must still hold after it.
  await assertUnchanged(input.id, read, signal);
  return {
    source: { kind: 'file', path: out, format: 'parquet' },
    inPlace: false,
    rowCount,
    columns,
    mode: rereadAll ? 'replace' : primaryKey.length > 0 ? 'upsert' : 'append',
    primaryKey,
    state: {
      files: signatures(files),
      columns: stateColumns(columns),
      ...(cursor !== undefined ? { cursor } : {}),
    },
  };
}

const signatures = (files: readonly SourceFile[]): JsonObject =>
  Object.fromEntries(files.map((f) => [f.name, f.signature]));

const FORMATS: readonly string[] = ['csv', 'jsonl', 'json', 'parquet'];

/** The input's `format`, else the file extension, else the connection's default `format`. */
function formatOf(declared: string | undefined, fallback: string | undefined, files: readonly SourceFile[]): Format {
  if (declared !== undefined && FORMATS.includes(declared)) return declared as Format;
  const ext = /\.([a-z]+)$/i.exec(files[0]?.name ?? '')?.[1]?.toLowerCase();
  if (ext === 'parquet' || ext === 'csv' || ext === 'json') return ext;
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (fallback !== undefined && FORMATS.includes(fallback)) return fallback as Format;
  throw invalidArgument(
    'unknown_format',
    `Cannot tell the format of "${files[0]?.name}": set ingestion_config.format.`,
  );
}

function reader(format: Format, files: readonly SourceFile[]): string {
  const list = `[${files.map((f) => literal(f.path)).join(', ')}]`;
  switch (format) {
    case 'csv':
      return `read_csv(${list}, header = true, union_by_name = true)`;
    case 'jsonl':
      return `read_json(${list}, format = 'newline_delimited', union_by_name = true)`;
    case 'json':
      return `read_json(${list}, format = 'auto', union_by_name = true)`;
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true)`;
  }
}

function wrapRead(e: unknown, input: string): unknown {
  if (isHekimaError(e)) return e;
  const message = (e as Error).message?.split('\n')[0] ?? String(e);
  return permanent('source_unreadable', `Input "${input}": the files cannot be read: ${message}`, {
    cause: new Error((e as Error).message ?? String(e)),
  });
}
