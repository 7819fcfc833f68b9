import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { invalidState } from '../../domain/errors.js';
import type { SqlParam, SqlResult } from '../../ports/sql-database.js';
import { BaseSqlDatabase, DEFAULT_SCHEMA, type SqlDatabaseNames } from './base-sql-database.js';
import type { DriverConnection, DriverLease } from './driver-connection.js';
import { lockDataDir } from './data-dir-lock.js';
import { SerialQueue } from './serial-queue.js';
import { quoteIdentifier } from './sql-identifiers.js';

export interface PgliteDatabaseOptions extends SqlDatabaseNames {
  /** Folder of the database files (e.g. `<workspace>/.hekima/catalog`); omit for in-memory. */
  readonly dataDir?: string;
}

const INT8 = 20;

/**
 * Embedded mode: PostgreSQL in WASM, in-process. One connection, so transactions wait their turn
 * in a FIFO queue. The session user is a superuser; tenant transactions still run under RLS
 * because `withTenant` switches to the app role (see BaseSqlDatabase).
 */
export class PgliteDatabase extends BaseSqlDatabase {
  readonly driver = 'pglite' as const;
  readonly #db: PGlite;
  readonly #queue = new SerialQueue();
  readonly #connection: DriverConnection;
  readonly #unlock: () => Promise<void>;

  private constructor(db: PGlite, options: PgliteDatabaseOptions, unlock: () => Promise<void>) {
    super(options);
    this.#db = db;
    this.#unlock = unlock;
    this.#connection = {
      query: async (text: string, params: readonly SqlParam[]): Promise<SqlResult> => {
        const result = await db.query<Record<string, unknown>>(text, params as unknown[]);
        return {
          rows: result.rows,
          rowCount: (result as { rowCount?: number }).rowCount ?? result.affectedRows ?? result.rows.length,
        };
      },
      exec: async (script: string) => {
        await db.exec(script);
      },
    };
  }

  /** Opens (creating if needed) the database; a new one takes seconds, reopening well under one. */
  static async open(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
    const schema = quoteIdentifier(options.schema ?? DEFAULT_SCHEMA, 'schema name');
    let unlock = async () => {};
    if (options.dataDir !== undefined) {
      await mkdir(options.dataDir, { recursive: true });
      unlock = await lockDataDir(options.dataDir);
    }
    try {
      // int8 as text, as pg returns it, so rows are identical on both drivers.
      const db = await PGlite.create({
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        parsers: { [INT8]: (x: string) => x },
      });
      try {
        const database = new PgliteDatabase(db, options, unlock);
        await db.exec(`SET search_path TO ${schema}`);
        return database;
      } catch (e) {
        await db.close().catch(() => undefined);
        throw e;
      }
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  protected async acquire(signal?: AbortSignal): Promise<DriverLease> {
    const release = await this.#queue.acquire(signal);
    return { connection: this.#connection, release: () => release() };
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (this.insideTransaction) {
      throw invalidState(
        'nested_transaction',
        'listen() inside a transaction would wait for itself on the single PGlite connection.',
      );
    }
    const name = quoteIdentifier(channel, 'channel name').slice(1, -1);
    const unlisten = await this.#exclusive(() => this.#db.listen(name, onNotify));
    return () => this.#exclusive(() => unlisten());
  }

  protected async closeDriver(): Promise<void> {
    const release = await this.#queue.acquire();
    try {
      await this.#db.close();
    } finally {
      release();
      await this.#unlock();
    }
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#queue.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
