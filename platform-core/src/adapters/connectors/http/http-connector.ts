import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { invalidArgument, isHekimaError, permanent, throwIfAborted } from '../../../domain/errors.js';
import { settingNumber, settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { JsonObject } from '../../../domain/json.js';
import type {
  Connector,
  Extract,
  ExtractColumn,
  ExtractRequest,
  ResolvedConnection,
} from '../../../ports/connector.js';
import { extractPath, jsonLinesToParquet, writeJsonLines } from '../shared/extract-writer.js';
import { primaryKeyOf, stateColumns, stateString } from '../shared/state.js';
import { HttpFetcher } from './http-fetcher.js';
import { httpSettings } from './http-settings.js';
import { paginator, recordsOf } from './pagination.js';
import { realSleep, type Sleep } from './token-bucket.js';

export interface HttpConnectorOptions {
  /** Waiting between retries and for rate-limit tokens (tests pass a fast or recording one). */
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/**
 * REST APIs over fetch. `check` GETs `config.check_endpoint` (default: base_url) once: any answer
 * but 401, 403, 429 or 5xx means reachable. `ingestion_config`: `endpoint` (relative to base_url), `params` (query
 * parameters), `pagination` (see pagination.ts), `records_path`. api_poll reads everything each
 * run (mode replace). incremental keeps the high-water mark of `cursor_field` in the state, sends
 * it as `cursor_param` (when set) and also keeps only records above it (mode upsert by
 * primary_key, or append).
 */
export class HttpConnector implements Connector {
  readonly type = 'http' as const;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(options: HttpConnectorOptions = {}) {
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  async check(connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
    const settings = httpSettings(connection);
    const fetcher = new HttpFetcher(connection.name, settings, this.sleep, this.now);
    const endpoint = settingText(connection.config['check_endpoint']) ?? '';
    try {
      await fetcher.get(new URL(endpoint.replace(/^\//, ''), settings.baseUrl), signal, 1);
    } catch (e) {
      // The server answered: a 404 or 405 on the base URL still means it is reachable.
      if (isHekimaError(e) && e.code === 'http_client_error') return;
      throw e;
    }
  }

  async extract(request: ExtractRequest): Promise<Extract> {
    const { connection, input, state, signal } = request;
    const settings = httpSettings(connection);
    const fetcher = new HttpFetcher(connection.name, settings, this.sleep, this.now);
    const endpoint = settingText(input.config['endpoint']);
    if (endpoint === undefined)
      throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.endpoint.`);
    const url = new URL(endpoint.replace(/^\//, ''), settings.baseUrl);
    const params = input.config['params'];
    if (params !== null && typeof params === 'object')
      for (const [k, v] of Object.entries(params)) {
        const text = settingText(v);
        if (text !== undefined) url.searchParams.set(k, text);
      }
    const incremental = input.strategy === 'incremental';
    const cursorField = incremental ? settingText(input.config['cursor_field']) : undefined;
    if (incremental && !cursorField)
      throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.cursor_field.`);
    const previous = stateString(state, 'cursor');
    const cursorParam = settingText(input.config['cursor_param']);
    if (cursorParam && previous !== undefined) url.searchParams.set(cursorParam, previous);

    const pages = paginator(input.config['pagination']);
    const maxPages =
      settingNumber((input.config['pagination'] as Record<string, unknown> | undefined)?.['max_pages']) ?? 1000;
    const recordsPath = settingText(input.config['records_path']);
    let cursor = previous;
    const snapshot = createHash('sha256');
    const self = { fetcher, signal, pages, maxPages, recordsPath, where: `Connection '${connection.name}'` };
    const rows = async function* (): AsyncGenerator<Record<string, unknown>> {
      for await (const record of allRecords(self, pages.first(url))) {
        if (cursorField) {
          const value = record[cursorField];
          if (value === undefined || value === null) continue;
          if (previous !== undefined && !after(value, previous)) continue;
          if (cursor === undefined || after(value, cursor)) cursor = String(value);
        }
        snapshot.update(JSON.stringify(record));
        yield record;
      }
    };
    const jsonl = join(request.workDir, `${input.id}.jsonl`);
    const count = await writeJsonLines(jsonl, rows());
    const out = extractPath(request.workDir, input.id);
    const known = state?.['columns'] as ExtractColumn[] | undefined;
    const written = await jsonLinesToParquet(jsonl, count, count === 0 && known?.length ? known : undefined, out);
    const primaryKey = primaryKeyOf(input.config);
    const newState: JsonObject = {
      columns: stateColumns(written.columns.length > 0 ? written.columns : (known ?? [])),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(incremental ? {} : { snapshot_hash: snapshot.digest('hex') }),
    };
    return {
      source: { kind: 'file', path: out, format: 'parquet' },
      inPlace: false,
      rowCount: written.rowCount,
      columns: written.columns,
      mode: incremental ? (primaryKey.length > 0 ? 'upsert' : 'append') : 'replace',
      primaryKey,
      state: newState,
    };
  }
}

interface PageWalk {
  readonly fetcher: HttpFetcher;
  readonly signal: AbortSignal;
  readonly pages: ReturnType<typeof paginator>;
  readonly maxPages: number;
  readonly recordsPath: string | undefined;
  readonly where: string;
}

async function* allRecords(walk: PageWalk, first: URL): AsyncGenerator<Record<string, unknown>> {
  let url: URL | undefined = first;
  for (let n = 1; url; n++) {
    throwIfAborted(walk.signal, 'paging');
    if (n > walk.maxPages)
      throw permanent(
        'pagination_limit',
        `${walk.where}: more than ${walk.maxPages} pages (raise pagination.max_pages).`,
      );
    const page = await walk.fetcher.get(url, walk.signal);
    const records = recordsOf(page.body, walk.recordsPath, walk.where);
    yield* records;
    url = walk.pages.next(page, records.length);
  }
}

/** Whether a cursor value is above the mark: numerically when both are numbers, else as text (ISO). */
function after(value: unknown, mark: string): boolean {
  const text = String(value);
  const a = Number(text);
  const b = Number(mark);
  if (text.trim() !== '' && mark.trim() !== '' && Number.isFinite(a) && Number.isFinite(b)) return a > b;
  return text > mark;
}
