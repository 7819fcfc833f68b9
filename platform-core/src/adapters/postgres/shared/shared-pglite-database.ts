import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isHekimaError, throwIfAborted, transient } from '../../../domain/errors.js';
import { BaseSqlDatabase } from '../base-sql-database.js';
import type { DriverLease } from '../driver-connection.js';
import { PgliteDatabase, type PgliteDatabaseOptions } from '../pglite-database.js';
import { quoteIdentifier } from '../sql-identifiers.js';
import { catalogAddress, type CatalogAddress } from './catalog-address.js';
import { CatalogHost } from './catalog-host.js';
import { CatalogLink } from './catalog-link.js';
import { HOST_LEAVING } from './protocol.js';

/** How long a process keeps electing (hosts closing, hosts dying) before it gives up. */
const ELECTION_MS = 60_000;

type Backend =
  | {
      readonly kind: 'host';
      readonly db: PgliteDatabase;
      readonly host: CatalogHost;
      readonly unlisten: Map<string, () => Promise<void>>;
    }
  | { readonly kind: 'guest'; readonly link: CatalogLink };

/**
 * An embedded catalog (PGlite on disk) shared by every process of the workspace (docs/adr/0024).
 * The first process to open it becomes its host: it opens PGlite and lends the single connection
 * to the others over a local socket, a whole transaction at a time. The others are guests. When
 * the host closes, it lets guests finish their transactions and hands over: the guests elect a new
 * host among themselves. When the host dies (kill -9), guests lose only the transaction in
 * flight (Transient `catalog_host_lost`); the next transaction elects a new host, which reopens
 * the folder (PGlite replays its WAL, as after any crash).
 *
 * The transaction code is BaseSqlDatabase's, so statements, RLS and errors are the same for host
 * and guests; notifications reach every process (the host fans them out).
 */
export class SharedPgliteDatabase extends BaseSqlDatabase {
  readonly driver = 'pglite' as const;
  readonly #options: PgliteDatabaseOptions & { readonly dataDir: string };
  readonly #address: CatalogAddress;
  readonly #channels = new Map<string, Set<(payload: string) => void>>();
  #backend: Promise<Backend> | undefined;
  /** What `#backend` resolved to (so a backend whose host went is dropped synchronously). */
  #settled: Backend | undefined;
  #closing = false;

  private constructor(options: PgliteDatabaseOptions & { readonly dataDir: string }, address: CatalogAddress) {
    super(options);
    this.#options = options;
    this.#address = address;
  }

  /** Hosts the catalog or joins its host; either way ready for transactions when it resolves. */
  static async open(options: PgliteDatabaseOptions & { readonly dataDir: string }): Promise<SharedPgliteDatabase> {
    quoteIdentifier(options.schema ?? 'hekima', 'schema name');
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const db = new SharedPgliteDatabase({ ...options, dataDir }, await catalogAddress(dataDir));
    await db.#current();
    return db;
  }

  /** True while this process hosts the catalog (false: it is a guest of another process). */
  async hosting(): Promise<boolean> {
    return (await this.#current()).kind === 'host';
  }

  /** Guests connected to this process (0 when it is a guest itself). */
  async guests(): Promise<number> {
    const backend = await this.#current();
    return backend.kind === 'host' ? backend.host.guests : 0;
  }

  protected async acquire(signal?: AbortSignal): Promise<DriverLease> {
    const deadline = Date.now() + ELECTION_MS;
    for (;;) {
      const backend = await this.#current(signal);
      if (backend.kind === 'host') {
        // Let guests' requests that already arrived queue first: a busy host would otherwise
        // re-take the connection before its event loop reads them (measured: guests starved).
        if (backend.host.guests > 0) await new Promise((r) => setImmediate(r));
        return backend.db.borrow(signal);
      }
      try {
        return await backend.link.acquire(signal);
      } catch (e) {
        if (!(isHekimaError(e) && e.code === HOST_LEAVING) || Date.now() > deadline) throw e;
        this.#drop(backend);
      }
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    quoteIdentifier(channel, 'channel name');
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
      await this.#subscribe(await this.#current(), channel);
    }
    handlers.add(onNotify);
    const mine = handlers;
    return async () => {
      mine.delete(onNotify);
      if (mine.size > 0 || this.#channels.get(channel) !== mine) return;
      this.#channels.delete(channel);
      const backend = await this.#backend?.catch(() => undefined);
      if (backend?.kind === 'host') await backend.unlisten.get(channel)?.();
      else if (backend && !backend.link.closed) await backend.link.unlisten(channel).catch(() => undefined);
      if (backend?.kind === 'host') backend.unlisten.delete(channel);
    };
  }

  protected async closeDriver(): Promise<void> {
    this.#closing = true;
    const backend = await this.#backend?.catch(() => undefined);
    this.#backend = undefined;
    if (backend?.kind === 'host') await backend.host.close(() => backend.db.close());
    else backend?.link.close();
  }

  /** The backend in use, electing one when there is none (first use, or the host went). */
  #current(signal?: AbortSignal): Promise<Backend> {
    if (this.#closing) return Promise.reject(transient('database_closed', 'The database is closed.'));
    if (!this.#backend) {
      const electing = this.#elect(signal);
      this.#backend = electing;
      this.#settled = undefined;
      electing.then(
        (backend) => (this.#backend === electing ? (this.#settled = backend) : undefined),
        () => (this.#backend === electing ? (this.#backend = undefined) : undefined),
      );
    }
    return this.#backend;
  }

  async #elect(signal?: AbortSignal): Promise<Backend> {
    const deadline = Date.now() + ELECTION_MS;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal, 'opening the embedded catalog');
      const host = await CatalogHost.bind(this.#address);
      if (host) return this.#host(host);
      const link = await CatalogLink.connect(this.#address);
      if (link instanceof CatalogLink) return this.#guest(link);
      if (Date.now() > deadline)
        throw transient(
          'catalog_unreachable',
          `No process could host the embedded catalog ${this.#options.dataDir} within ${ELECTION_MS / 1000} s.`,
        );
      await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** attempt)));
    }
  }

  async #host(host: CatalogHost): Promise<Backend> {
    let db: PgliteDatabase;
    try {
      db = await PgliteDatabase.open(this.#options);
    } catch (e) {
      await host.close(async () => undefined, e);
      throw e;
    }
    host.attach(db);
    const backend: Backend = { kind: 'host', db, host, unlisten: new Map() };
    for (const channel of this.#channels.keys()) await this.#subscribe(backend, channel);
    return backend;
  }

  async #guest(link: CatalogLink): Promise<Backend> {
    const backend: Backend = { kind: 'guest', link };
    link.onNotify((channel, payload) => this.#dispatch(channel, payload));
    link.onClose(() => {
      this.#drop(backend);
      // The host went: take over at once (a process with nothing to do would otherwise wait for
      // its next transaction, and its subscriptions would hear nothing meanwhile).
      if (!this.#closing) this.#current().catch(() => undefined);
    });
    for (const channel of this.#channels.keys()) await this.#subscribe(backend, channel);
    return backend;
  }

  async #subscribe(backend: Backend, channel: string): Promise<void> {
    if (backend.kind === 'guest') return backend.link.listen(channel);
    if (backend.unlisten.has(channel)) return;
    backend.unlisten.set(channel, await backend.host.hub.subscribe(channel, (p) => this.#dispatch(channel, p)));
  }

  #dispatch(channel: string, payload: string): void {
    for (const handler of this.#channels.get(channel) ?? []) handler(payload);
  }

  /** Forgets a backend whose host went (only if it is still the current one). */
  #drop(backend: Backend): void {
    if (this.#settled !== backend) return;
    this.#settled = undefined;
    this.#backend = undefined;
  }
}
