import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { invalidState } from '../../domain/errors.js';
import type { SqlParam, SqlResult } from '../../ports/sql-database.js';
import { BaseSqlDatabase, DEFAULT_APP_ROLE, DEFAULT_SCHEMA, type SqlDatabaseNames } from './base-sql-database.js';
import type { DriverConnection, DriverLease } from './driver-connection.js';
import { lockDataDir } from './data-dir-lock.js';
import { DEFAULT_TEMPLATE_DIR, readTemplate, restoreTemplate } from './pglite-template.js';
import { SerialQueue } from './serial-queue.js';
import { quoteIdentifier } from './sql-identifiers.js';

export interface PgliteDatabaseOptions extends SqlDatabaseNames {
  /** Folder of the database files (e.g. `<workspace>/.hekima/catalog`); omit for in-memory. */
  readonly dataDir?: string;
  /**
   * Folder of prebuilt catalog templates (see pglite-template.ts). A new `dataDir` uses the
   * package's `dist/catalog-template/` unless this says otherwise; an in-memory database uses a
   * template only when this names a folder. `false` always runs initdb.
   */
  readonly templateDir?: string | false;
}

/**
 * How the data folder came to be: `existing` (reopened), `template` (a new catalog extracted from
 * the prebuilt template, already migrated), `initdb` (a new catalog initialised from scratch) or
 * `memory` (in-memory, initialised from scratch).
 */
export type PgliteOrigin = 'existing' | 'template' | 'initdb' | 'memory';

const INT8 = 20;

/**
 * Embedded mode: PostgreSQL in WASM, in-process. One connection, so transactions wait their turn
 * in a FIFO queue. The session user is a superuser; tenant transactions still run under RLS
 * because `withTenant` switches to the app role (see BaseSqlDatabase).
 */
export class PgliteDatabase extends BaseSqlDatabase {
  readonly driver = 'pglite' as const;
  readonly origin: PgliteOrigin;
  /** Why a new data folder did not come from the template (absent when it did, or was not new). */
  readonly templateMiss: string | undefined;
  readonly #db: PGlite;
  readonly #queue = new SerialQueue();
  readonly #connection: DriverConnection;
  readonly #unlock: () => Promise<void>;

  private constructor(
    db: PGlite,
    options: PgliteDatabaseOptions,
    unlock: () => Promise<void>,
    origin: PgliteOrigin,
    templateMiss: string | undefined,
  ) {
    super(options);
    this.origin = origin;
    this.templateMiss = templateMiss;
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

  /**
   * Opens (creating if needed) the database. Reopening takes well under a second; a new data
   * folder is extracted from the prebuilt template when one matches (a few hundred ms more, and a
   * third of initdb's memory), and otherwise initialised from scratch (seconds). A template that is missing, stale or damaged, or that does
   * not start, falls back to initdb: it never makes the open fail.
   */
  static async open(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
    const schema = quoteIdentifier(options.schema ?? DEFAULT_SCHEMA, 'schema name');
    // Resolved, so `catalog/` and `catalog` lock and stage beside the same folder.
    const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
    let unlock = async () => {};
    if (dataDir !== undefined) {
      await mkdir(dataDir, { recursive: true });
      unlock = await lockDataDir(dataDir);
    }
    try {
      const { db, origin, templateMiss } = await (dataDir === undefined
        ? startInMemory(options)
        : startOnDisk(dataDir, options));
      try {
        const database = new PgliteDatabase(db, options, unlock, origin, templateMiss);
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

  /**
   * The data folder as a tarball (after a CHECKPOINT, so little WAL is left to replay when it
   * starts); used to build the catalog template. Waits for running transactions.
   */
  async dumpDataDir(compression: 'none' | 'gzip' = 'none'): Promise<Uint8Array> {
    return this.#exclusive(async () => {
      await this.#db.exec('CHECKPOINT');
      const blob = await this.#db.dumpDataDir(compression);
      return new Uint8Array(await blob.arrayBuffer());
    });
  }

  protected async acquire(signal?: AbortSignal): Promise<DriverLease> {
    const release = await this.#queue.acquire(signal);
    return { connection: this.#connection, release: () => release() };
  }

  /**
   * The connection for one transaction, in the same FIFO as this process's own: how the catalog
   * host (shared/catalog-host.ts) lends it to the other processes of the workspace.
   */
  borrow(signal?: AbortSignal): Promise<DriverLease> {
    return this.acquire(signal);
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

interface Started {
  readonly db: PGlite;
  readonly origin: PgliteOrigin;
  readonly templateMiss: string | undefined;
}

/** A data folder: reopened, else filled from the template, else initialised (under the lock). */
async function startOnDisk(dataDir: string, options: PgliteDatabaseOptions): Promise<Started> {
  if ((await readdir(dataDir)).length > 0) {
    return { db: await createPglite(dataDir), origin: 'existing', templateMiss: undefined };
  }
  if (options.templateDir === false) {
    return {
      db: await createPglite(dataDir),
      origin: 'initdb',
      templateMiss: 'templates are disabled (templateDir: false)',
    };
  }
  const outcome = await restoreTemplate(dataDir, options.templateDir ?? DEFAULT_TEMPLATE_DIR, namesOf(options));
  if (!outcome.restored) {
    return { db: await createPglite(dataDir), origin: 'initdb', templateMiss: outcome.reason };
  }
  try {
    return { db: await createPglite(dataDir), origin: 'template', templateMiss: undefined };
  } catch (e) {
    // The template extracted but PostgreSQL refused it: start over from scratch.
    await emptyFolder(dataDir);
    const templateMiss = `the template did not start: ${(e as Error).message}`;
    return { db: await createPglite(dataDir), origin: 'initdb', templateMiss };
  }
}

/** In memory: initdb, unless a template folder is named explicitly (then PGlite loads the tarball). */
async function startInMemory(options: PgliteDatabaseOptions): Promise<Started> {
  if (typeof options.templateDir !== 'string') {
    return { db: await createPglite(undefined), origin: 'memory', templateMiss: undefined };
  }
  const template = await readTemplate(options.templateDir, namesOf(options));
  if (!template.found) {
    return { db: await createPglite(undefined), origin: 'memory', templateMiss: template.reason };
  }
  try {
    return { db: await createPglite(undefined, template.archive), origin: 'template', templateMiss: undefined };
  } catch (e) {
    const templateMiss = `the template did not start: ${(e as Error).message}`;
    return { db: await createPglite(undefined), origin: 'memory', templateMiss };
  }
}

function namesOf(options: PgliteDatabaseOptions) {
  return { schema: options.schema ?? DEFAULT_SCHEMA, appRole: options.appRole ?? DEFAULT_APP_ROLE };
}

function createPglite(dataDir: string | undefined, archive?: Uint8Array): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(archive ? { loadDataDir: new Blob([archive]) } : {}),
    // int8 as text, as pg returns it, so rows are identical on both drivers.
    parsers: { [INT8]: (x: string) => x },
  });
}

async function emptyFolder(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
}
