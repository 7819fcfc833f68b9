import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { abortError, forbidden, invalidArgument, isHekimaError, throwIfAborted } from '../../domain/errors.js';
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
      const query = request.sql === undefined ? this.#filtered(request) : request.sql;
      let reader;
      try {
        const statement = await singleSelect(connection, query);
        // The limit applies to the prepared statement's result (streamed, read up to `limit`
        // rows), never by pasting the text into a wrapper it could close or comment out.
        reader = await statement.runAndReadUntil(request.limit);
      } catch (e) {
        if (signal?.aborted) throw abortError(signal, 'an analytics query');
        if (isHekimaError(e)) throw e;
        throw invalidArgument('query_failed', `The query failed: ${(e as Error).message}`, { cause: e });
      }
      const rows = (reader.getRowObjectsJson() as Record<string, JsonValue>[]).slice(0, request.limit);
      return { columns: reader.columnNames(), rows, types: reader.columnTypes().map((t) => t.toString()) };
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

/**
 * The query as DuckDB itself splits and parses it (`extractStatements`): exactly one statement,
 * and a SELECT (WITH, FROM-first and VALUES queries are SELECTs to DuckDB). Anything else —
 * several statements, SET, COPY, ATTACH, PRAGMA, INSERT, EXPLAIN… — is InvalidArgument before
 * it runs. (The session is locked as well: this is defence in depth.)
 */
async function singleSelect(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count !== 1)
    throw invalidArgument(
      'not_one_statement',
      `--sql takes exactly one SELECT statement; DuckDB read ${extracted.count} statements in it.`,
    );
  const statement = await extracted.prepare(0);
  if (statement.statementType !== StatementType.SELECT) {
    const kind = StatementType[statement.statementType] ?? String(statement.statementType);
    statement.destroySync();
    throw invalidArgument('not_a_select', `--sql takes a SELECT statement only; this one is ${kind}.`);
  }
  return statement;
}
