import { abortError, forbidden, invalidArgument, throwIfAborted } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import { MASKED } from '../../domain/quality/masking.js';
import type {
  ProjectionRequest,
  ProjectionResult,
  ServedReadRequest,
  ServedRows,
  ServingStore,
} from '../../ports/serving-store.js';
import { ident, literal } from './duck-sql.js';
import { openSession } from './sandbox.js';

/**
 * `analytics` endpoints: the lake is the store (no projection). Reads open a fresh in-memory
 * DuckDB, copy the snapshot into a table named by the product id (plus a view in underscore form)
 * with the caller's masked columns already replaced by `***MASKED***`, then switch off ALL
 * external access and lock the configuration: the query (`--sql`) can read nothing but that
 * masked copy — not the Parquet file, not another snapshot, not another tenant's lake.
 */
export class DuckDbAnalyticsStore implements ServingStore {
  readonly endpoint = 'analytics' as const;

  project(request: ProjectionRequest): Promise<ProjectionResult> {
    return Promise.resolve({ endpoint: this.endpoint, status: 'served', written: 0, retired: 0, target: request.path });
  }

  async read(request: ServedReadRequest, signal?: AbortSignal): Promise<ServedRows> {
    if (request.path === undefined)
      throw invalidArgument('snapshot_path_missing', 'An analytics read needs the snapshot file.');
    throwIfAborted(signal, 'an analytics query');
    const session = await openSession(undefined);
    const { connection } = session;
    const interrupt = () => connection.interrupt();
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const select = request.columns
        .map((c) =>
          request.masked.includes(c.name)
            ? `CASE WHEN ${ident(c.name)} IS NULL THEN NULL ELSE ${literal(MASKED)} END AS ${ident(c.name)}`
            : ident(c.name),
        )
        .join(', ');
      const table = ident(request.product);
      await connection.run(`CREATE TABLE ${table} AS SELECT ${select} FROM read_parquet(${literal(request.path)})`);
      const underscore = request.product.replace(/-/g, '_');
      if (underscore !== request.product)
        await connection.run(`CREATE VIEW ${ident(underscore)} AS SELECT * FROM ${table}`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
      const query = request.sql === undefined ? this.#filtered(request) : stripSemicolons(request.sql);
      let reader;
      try {
        reader = await connection.runAndReadAll(`SELECT * FROM (${query}) AS hekima_query LIMIT ${request.limit}`);
      } catch (e) {
        if (signal?.aborted) throw abortError(signal, 'an analytics query');
        throw invalidArgument('query_failed', `The query failed: ${(e as Error).message}`, { cause: e });
      }
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Record<string, JsonValue>[] };
    } finally {
      signal?.removeEventListener('abort', interrupt);
      session.close();
    }
  }

  #filtered(request: ServedReadRequest): string {
    const names = new Set(request.columns.map((c) => c.name));
    const where = request.filters.map((f) => {
      if (!names.has(f.column))
        throw invalidArgument('unknown_filter_column', `No column "${f.column}" in ${request.product}.`);
      if (request.masked.includes(f.column))
        throw forbidden(
          'filter_on_masked_column',
          `Your clearance does not let you read "${f.column}", so you cannot filter on it.`,
        );
      return `CAST(${ident(f.column)} AS VARCHAR) = ${literal(f.value)}`;
    });
    const key = request.columns.filter((c) => c.primary_key).map((c) => ident(c.name));
    return `SELECT * FROM ${ident(request.product)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${key.length ? ` ORDER BY ${key.join(', ')}` : ''}`;
  }
}

function stripSemicolons(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}
