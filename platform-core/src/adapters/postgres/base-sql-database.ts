import { AsyncLocalStorage } from 'node:async_hooks';
import { invalidArgument, invalidState, throwIfAborted } from '../../domain/errors.js';
import { isUuid } from '../../domain/pagination.js';
import type {
  AdminExecutor,
  AdminSql,
  SqlDatabase,
  SqlDriver,
  SqlExecutor,
  SqlParam,
} from '../../ports/sql-database.js';
import type { DriverLease } from './driver-connection.js';
import { toHekimaError } from './driver-errors.js';
import { quoteIdentifier } from './sql-identifiers.js';

export interface SqlDatabaseNames {
  /** Schema of the catalog tables (default `hekima`). */
  readonly schema?: string;
  /** The RLS-bound application role (default `hekima_app`; cluster-wide, shared by schemas). */
  readonly appRole?: string;
}

export const DEFAULT_SCHEMA = 'hekima';
export const DEFAULT_APP_ROLE = 'hekima_app';

/**
 * The transaction logic both drivers share: same statements, same order, same errors. Subclasses
 * only lend a connection (`acquire`), subscribe to notifications and close the driver.
 */
export abstract class BaseSqlDatabase implements SqlDatabase {
  abstract readonly driver: SqlDriver;
  readonly schema: string;
  readonly appRole: string;
  readonly admin: AdminSql;
  readonly #inside = new AsyncLocalStorage<{ open: boolean }>();
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  protected constructor(names: SqlDatabaseNames) {
    this.schema = names.schema ?? DEFAULT_SCHEMA;
    this.appRole = names.appRole ?? DEFAULT_APP_ROLE;
    quoteIdentifier(this.schema, 'schema name');
    quoteIdentifier(this.appRole, 'role name');
    this.admin = { transaction: (fn, signal) => this.#track(this.#run('BEGIN', fn, signal)) };
  }

  protected abstract acquire(signal?: AbortSignal): Promise<DriverLease>;
  protected abstract closeDriver(): Promise<void>;
  abstract listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;

  withTenant<T>(tenantId: string, fn: (sql: SqlExecutor) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!isUuid(tenantId)) {
      return Promise.reject(
        invalidArgument('invalid_tenant_id', 'The tenant id must be a UUID.', { details: { tenantId } }),
      );
    }
    // The id is a validated UUID, so it can be a literal: the whole prelude is one round trip.
    const prelude =
      `BEGIN; SET LOCAL ROLE ${quoteIdentifier(this.appRole)}; ` +
      `SELECT set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`;
    return this.#track(this.#run(prelude, (sql) => fn({ query: sql.query }), signal));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#running]);
    await this.closeDriver();
  }

  /** True while the caller runs inside a transaction callback of this database. */
  protected get insideTransaction(): boolean {
    return this.#inside.getStore()?.open === true;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const done = () => this.#running.delete(work);
    work.then(done, done);
    return work;
  }

  async #run<T>(prelude: string, fn: (sql: AdminExecutor) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (this.insideTransaction) {
      throw invalidState(
        'nested_transaction',
        'A transaction was started inside another transaction of the same database; pass the executor down instead.',
      );
    }
    if (this.#closed) throw invalidState('database_closed', 'The database is closed.');
    throwIfAborted(signal, 'transaction');
    const lease = await this.acquire(signal);
    const state = { open: true };
    let broken = false;
    const { connection } = lease;
    const executor: AdminExecutor = {
      query: async (text: string, params: readonly SqlParam[] = []) => {
        if (!state.open) throw invalidState('transaction_finished', 'This transaction has already finished.');
        throwIfAborted(signal, 'statement');
        try {
          return (await connection.query(text, params)) as never;
        } catch (e) {
          throw toHekimaError(e);
        }
      },
      exec: async (script: string) => {
        if (!state.open) throw invalidState('transaction_finished', 'This transaction has already finished.');
        throwIfAborted(signal, 'statement');
        try {
          await connection.exec(script);
        } catch (e) {
          throw toHekimaError(e);
        }
      },
    };
    try {
      await connection.exec(prelude).catch((e: unknown) => Promise.reject(toHekimaError(e)));
      const result = await this.#inside.run(state, () => fn(executor));
      state.open = false;
      await connection.exec('COMMIT').catch((e: unknown) => Promise.reject(toHekimaError(e)));
      return result;
    } catch (error) {
      state.open = false;
      await connection.exec('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      state.open = false;
      lease.release(broken);
    }
  }
}
