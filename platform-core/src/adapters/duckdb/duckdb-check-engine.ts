import type { DuckDBConnection } from '@duckdb/node-api';
import { abortError, invalidArgument, permanent, throwIfAborted } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import type {
  CheckCell,
  CheckEngine,
  CheckJsonRow,
  CheckQueryOptions,
  CheckQueryResult,
  CheckRelation,
  CheckSession,
} from '../../ports/check-engine.js';
import { ident, literal } from './duck-sql.js';
import { openSession } from './sandbox.js';

/**
 * Quality checks in a fresh in-memory DuckDB per gate: each relation is a view over its Parquet
 * file, then the session may read only those files (`allowed_paths`), has no other external
 * access, and its configuration is locked (for both of its connections: `keyGrouping` statements
 * run on the session's verifier). Cells come back as JS values for `expect` evaluation
 * and as JSON for samples; `stream` reads rows as JSON in bounded batches (serving a snapshot).
 */
export class DuckDbCheckEngine implements CheckEngine {
  async open(
    relations: readonly CheckRelation[],
    limits?: { readonly memoryBytes?: number; readonly threads?: number },
    signal?: AbortSignal,
  ): Promise<CheckSession> {
    throwIfAborted(signal, 'the quality gate');
    const session = await openSession(limits);
    const { connection, verifier } = session;
    try {
      for (const r of relations) {
        await connection.run(`CREATE VIEW ${ident(r.name)} AS SELECT * FROM read_parquet(${literal(r.path)})`);
      }
      const paths = [...new Set(relations.map((r) => literal(r.path)))];
      if (paths.length > 0) await connection.run(`SET allowed_paths = [${paths.join(', ')}]`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
    } catch (e) {
      session.close();
      throw permanent(
        'check_relation_unreadable',
        `A snapshot of the quality gate cannot be read: ${(e as Error).message}`,
        {
          cause: e,
          details: { relations: relations.map((r) => r.name) },
        },
      );
    }
    return {
      async query(sql: string, querySignal?: AbortSignal, options?: CheckQueryOptions): Promise<CheckQueryResult> {
        throwIfAborted(querySignal, 'a quality check');
        // The verifier shares the views and the lock; it only groups dense keys by direct index.
        const runner = options?.keyGrouping ? verifier : connection;
        const interrupt = () => runner.interrupt();
        querySignal?.addEventListener('abort', interrupt, { once: true });
        try {
          const reader = await runner.runAndReadAll(sql);
          return {
            columns: reader.columnNames(),
            rows: reader.getRowObjectsJS().map((row) => mapValues(row, toCell)),
            json: reader.getRowObjectsJson().map((row) => mapValues(row, (v) => v as JsonValue)),
          };
        } catch (e) {
          if (querySignal?.aborted) throw abortError(querySignal, 'a quality check');
          throw e;
        } finally {
          querySignal?.removeEventListener('abort', interrupt);
        }
      },
      stream: (sql: string, batchRows: number, streamSignal?: AbortSignal) =>
        streamJson(connection, sql, batchRows, streamSignal),
      close: () => session.close(),
    };
  }
}

/**
 * DuckDB streams the result (`connection.stream`: chunks of up to 2,048 rows are produced as the
 * file is read, never the whole result); the chunks are converted with the same JSON converter
 * as `getRowObjectsJson` and regrouped into batches of exactly `batchRows` rows.
 */
async function* streamJson(
  connection: DuckDBConnection,
  sql: string,
  batchRows: number,
  signal?: AbortSignal,
): AsyncGenerator<readonly CheckJsonRow[]> {
  if (!Number.isSafeInteger(batchRows) || batchRows < 1)
    throw invalidArgument('invalid_batch_rows', `A streamed read needs a positive whole batch size, not ${batchRows}.`);
  throwIfAborted(signal, 'a snapshot read');
  const interrupt = () => connection.interrupt();
  signal?.addEventListener('abort', interrupt, { once: true });
  try {
    const result = await connection.stream(sql);
    let batch: CheckJsonRow[] = [];
    for await (const rows of result.yieldRowObjectJson()) {
      throwIfAborted(signal, 'a snapshot read');
      for (const row of rows) {
        batch.push(row as CheckJsonRow);
        if (batch.length === batchRows) {
          yield batch;
          batch = [];
          throwIfAborted(signal, 'a snapshot read');
        }
      }
    }
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (signal?.aborted) throw abortError(signal, 'a snapshot read');
    throw e;
  } finally {
    signal?.removeEventListener('abort', interrupt);
  }
}

function mapValues<T>(row: Readonly<Record<string, unknown>>, f: (v: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, f(v)]));
}

/** bigint stays bigint (the expect language compares it exactly); dates become ISO text. */
function toCell(value: unknown): CheckCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
