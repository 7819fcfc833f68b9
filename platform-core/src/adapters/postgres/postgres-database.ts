import pg from 'pg';
import { abortError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { SqlParam, SqlResult } from '../../ports/sql-database.js';
import { BaseSqlDatabase, type SqlDatabaseNames } from './base-sql-database.js';
import type { DriverConnection, DriverLease } from './driver-connection.js';
import { toHekimaError } from './driver-errors.js';
import { quoteIdentifier } from './sql-identifiers.js';

export interface PostgresDatabaseOptions extends SqlDatabaseNames {
  /** `postgres://user@host:port/database`. The user owns the schema and is superuser or BYPASSRLS. */
  readonly url: string;
  /** Pool size (default 10). */
  readonly poolSize?: number;
  readonly applicationName?: string;
  readonly logger?: Logger;
}

/**
 * Server mode: a `pg` pool. Every session starts with the catalog schema on its search_path; the
 * transaction logic is BaseSqlDatabase's, identical to PGlite's.
 */
export class PostgresDatabase extends BaseSqlDatabase {
  readonly driver = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #options: PostgresDatabaseOptions;
  #listener: Promise<pg.Client> | undefined;
  readonly #handlers = new Map<string, Set<(payload: string) => void>>();

  private constructor(options: PostgresDatabaseOptions) {
    super(options);
    this.#options = options;
    this.#pool = new pg.Pool(this.#clientConfig(options.poolSize ?? 10));
    this.#pool.on('error', (e) => options.logger?.warn('idle catalog connection failed', { error: e.message }));
  }

  /** Creates the pool and checks that the server answers (Transient `connection_failed` if not). */
  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const database = new PostgresDatabase(options);
    try {
      await database.#pool.query('SELECT 1');
    } catch (e) {
      await database.#pool.end().catch(() => undefined);
      throw toHekimaError(e);
    }
    return database;
  }

  protected async acquire(signal?: AbortSignal): Promise<DriverLease> {
    const pending = this.#pool.connect();
    const client = await (signal ? raceAbort(pending, signal) : pending).catch((e: unknown) =>
      Promise.reject(toHekimaError(e)),
    );
    const connection: DriverConnection = {
      query: async (text: string, params: readonly SqlParam[]): Promise<SqlResult> => {
        const result = await client.query({
          text,
          values: params as unknown[],
          queryMode: 'extended',
        } as pg.QueryConfig);
        return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? result.rows.length };
      },
      exec: async (script: string) => {
        await client.query(script);
      },
    };
    return { connection, release: (broken) => client.release(broken) };
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const quoted = quoteIdentifier(channel, 'channel name');
    const client = await this.#listenerClient();
    let handlers = this.#handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
      await client.query(`LISTEN ${quoted}`);
    }
    handlers.add(onNotify);
    return async () => {
      handlers.delete(onNotify);
      if (handlers.size === 0 && this.#handlers.get(channel) === handlers) {
        this.#handlers.delete(channel);
        await client.query(`UNLISTEN ${quoted}`).catch(() => undefined);
      }
    };
  }

  protected async closeDriver(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) await listener.then((c) => c.end()).catch(() => undefined);
    await this.#pool.end();
  }

  #clientConfig(max?: number): pg.PoolConfig {
    return {
      connectionString: this.#options.url,
      application_name: this.#options.applicationName ?? 'hekima',
      options: `-c search_path=${quoteIdentifier(this.schema)}`,
      ...(max === undefined ? {} : { max }),
    };
  }

  /** One dedicated connection for LISTEN (a pooled one would lose its subscriptions). */
  #listenerClient(): Promise<pg.Client> {
    this.#listener ??= (async () => {
      const client = new pg.Client(this.#clientConfig());
      client.on('notification', (m) => this.#handlers.get(m.channel)?.forEach((h) => h(m.payload ?? '')));
      client.on('error', (e) => {
        this.#options.logger?.warn('catalog LISTEN connection failed; notifications stop until resubscribed', {
          error: e.message,
        });
        this.#listener = undefined;
        this.#handlers.clear();
      });
      await client.connect();
      return client;
    })();
    return this.#listener;
  }
}

function raceAbort(pending: Promise<pg.PoolClient>, signal: AbortSignal): Promise<pg.PoolClient> {
  if (signal.aborted) {
    pending.then(
      (c) => c.release(),
      () => undefined,
    );
    return Promise.reject(abortError(signal, 'waiting for a connection'));
  }
  return new Promise((resolve, reject) => {
    // The connection, when it comes after the abort, is released once (below), never twice.
    const onAbort = () => reject(abortError(signal, 'waiting for a connection'));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (c) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) c.release();
        else resolve(c);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
