import { access } from 'node:fs/promises';
import { sep } from 'node:path';
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
import type { Connector, Extract, ExtractRequest, ResolvedConnection } from '../../../ports/connector.js';
import { describe, extractPath, ident, literal, openDuck, scalar } from '../shared/extract-writer.js';
import { primaryKeyOf, stateColumns, stateString } from '../shared/state.js';
import { connectionFolder, matchFiles, type SourceFile } from './file-paths.js';

type Format = 'csv' | 'jsonl' | 'json' | 'parquet';

/**
 * Local files (CSV, JSON lines, JSON, Parquet) read with DuckDB, outside the transform sandbox
 * (its own instance, limited to the connection's folder and the work folder).
 * `config.path` is a folder relative to the workspace root; `ingestion_config.path` a file or glob
 * under it. full_refresh reads every matched file. incremental and file_watch read only files
 * that are new or changed (state: name → size:mtime); with `cursor_field` the rows are also
 * filtered above the committed high-water mark (an appended file yields only its new lines).
 */
export class FileConnector implements Connector {
  readonly type = 'file' as const;

  constructor(private readonly workspaceRoot: string) {}

  async check(connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal, 'checking the connection');
    const folder = await connectionFolder(this.workspaceRoot, settingText(connection.config['path']));
    await access(folder);
  }

  async extract(request: ExtractRequest): Promise<Extract> {
    const { connection, input, state, signal } = request;
    const folder = await connectionFolder(this.workspaceRoot, settingText(connection.config['path']));
    const pattern = settingText(input.config['path']);
    if (!pattern) throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.path.`);
    const files = await matchFiles(folder, pattern, signal);
    if (files.length === 0)
      throw transient('no_files_matched', `No file matches "${pattern}" in the connection '${connection.name}'.`, {
        details: { input: input.id, path: pattern },
      });
    const format = formatOf(settingText(input.config['format']), settingText(connection.config['format']), files);
    const full = input.strategy === 'full_refresh';
    const seen = (state?.['files'] ?? {}) as Readonly<Record<string, string>>;
    const changed = full ? files : files.filter((f) => seen[f.name] !== f.signature);
    const cursorField = full ? undefined : settingText(input.config['cursor_field']);
    const previous = stateString(state, 'cursor');
    const primaryKey = primaryKeyOf(input.config);
    const out = extractPath(request.workDir, input.id);

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
      // Nothing changed: read the schema only, so the empty extract still has its columns.
      const source = changed.length > 0 ? changed : files;
      await c.run(`CREATE TABLE src AS SELECT * FROM ${reader(format, source)}${changed.length > 0 ? '' : ' LIMIT 0'}`);
      const columns = await describe(c, 'src');
      let where = '';
      let cursor = previous;
      if (cursorField) {
        const col = columns.find((x) => x.name === cursorField);
        if (!col)
          throw schemaIncompatible(
            'cursor_field_missing',
            `Input "${input.id}": the files have no column "${cursorField}".`,
          );
        if (previous !== undefined) where = ` WHERE ${ident(cursorField)} > CAST(${literal(previous)} AS ${col.type})`;
        const max = await scalar(c, `SELECT CAST(max(${ident(cursorField)}) AS VARCHAR) FROM src${where}`);
        cursor = max ?? previous;
      }
      const order = cursorField ? ` ORDER BY ${ident(cursorField)}` : '';
      await c.run(`COPY (SELECT * FROM src${where}${order}) TO ${literal(out)} (FORMAT parquet)`);
      const rowCount = Number((await scalar(c, `SELECT count(*) FROM src${where}`)) ?? 0);
      const newState: JsonObject = {
        files: Object.fromEntries(files.map((f) => [f.name, f.signature])),
        columns: stateColumns(columns),
        ...(cursor !== undefined ? { cursor } : {}),
      };
      return {
        file: out,
        format: 'parquet',
        rowCount,
        columns,
        mode: full ? 'replace' : primaryKey.length > 0 ? 'upsert' : 'append',
        primaryKey,
        state: newState,
      };
    } catch (e) {
      throwIfAborted(signal, 'reading files');
      throw wrapRead(e, input.id);
    } finally {
      signal.removeEventListener('abort', interrupt);
      duck.close();
    }
  }
}

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
