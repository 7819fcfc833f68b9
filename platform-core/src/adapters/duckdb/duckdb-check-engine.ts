import { abortError, permanent, throwIfAborted } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import type {
  CheckCell,
  CheckEngine,
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
 * and as JSON for samples.
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
      close: () => session.close(),
    };
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
