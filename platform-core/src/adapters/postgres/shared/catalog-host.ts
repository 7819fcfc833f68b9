import { connect, createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { isHekimaError, transient } from '../../../domain/errors.js';
import { toHekimaError } from '../driver-errors.js';
import type { DriverLease } from '../driver-connection.js';
import type { PgliteDatabase } from '../pglite-database.js';
import { nonce, proof, proofMatches, type CatalogAddress } from './catalog-address.js';
import { FrameChannel } from './frame-channel.js';
import { HOST_LEAVING, type GuestMessage, type HostMessage, type Request } from './protocol.js';
import { NotifyHub } from './notify-hub.js';

/** How long a leaving host lets guests finish the transactions they hold before cutting them. */
const LEAVE_GRACE_MS = 10_000;

interface Guest {
  readonly channel: FrameChannel<GuestMessage, HostMessage>;
  state: 'greeting' | 'proving' | 'ready';
  hostNonce?: Uint8Array;
  readonly leases: Map<number, DriverLease>;
  readonly waiting: Set<AbortController>;
  readonly listens: Map<string, () => Promise<void>>;
  nextLease: number;
  /** Settles once the guest's leftovers (held leases) are rolled back and returned. */
  gone?: Promise<void>;
}

/**
 * The process that owns an embedded catalog: it holds the address (the election, see
 * catalog-address.ts), opens PGlite and lends its single connection, one transaction at a time and
 * in arrival order, to the other processes of the workspace (guests) as to itself. A guest that
 * disconnects (it ended, even by kill -9) has its open transaction rolled back and its waits
 * dropped, so it can never wedge the others. Notifications are fanned out to every subscriber.
 */
export class CatalogHost {
  readonly #server: Server;
  readonly #address: CatalogAddress;
  readonly #guests = new Set<Guest>();
  readonly #ready: Promise<PgliteDatabase>;
  #open!: (db: PgliteDatabase) => void;
  #fail!: (e: unknown) => void;
  #leaving = false;
  readonly hub: NotifyHub;

  private constructor(server: Server, address: CatalogAddress) {
    this.#server = server;
    this.#address = address;
    this.#ready = new Promise<PgliteDatabase>((resolve, reject) => {
      this.#open = resolve;
      this.#fail = reject;
    });
    this.#ready.catch(() => undefined);
    this.hub = new NotifyHub(this.#ready);
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Takes the address and listens, or undefined when another process hosts the catalog. */
  static async bind(address: CatalogAddress): Promise<CatalogHost | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const server = createServer();
      const outcome = await new Promise<'ok' | 'in_use'>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve('in_use') : reject(e)));
        server.listen(address.path, () => resolve('ok'));
      });
      if (outcome === 'ok') return new CatalogHost(server, address);
      if (!address.file || (await answers(address.path))) return undefined;
      await rm(address.path, { force: true }); // a socket file left by a host that was killed
    }
    return undefined;
  }

  /** Guests waiting for the database get it (PGlite finished opening here). */
  attach(db: PgliteDatabase): void {
    this.#open(db);
  }

  /** Guests connected so far. */
  get guests(): number {
    return this.#guests.size;
  }

  /**
   * Leaves: new guests are told to elect again, waiting acquires fail with `catalog_host_leaving`
   * (their callers retry with the next host), held transactions get LEAVE_GRACE_MS to finish; then
   * `closeDatabase` runs (PGlite closes, the lock file goes) and only then the address is freed, so
   * the next host cannot open the folder while this one still has it open.
   */
  async close(closeDatabase: () => Promise<void>, cause?: unknown): Promise<void> {
    this.#leaving = true;
    this.#fail(cause ?? transient(HOST_LEAVING, 'The catalog host is closing.'));
    for (const guest of this.#guests) for (const wait of guest.waiting) wait.abort();
    const deadline = Date.now() + LEAVE_GRACE_MS;
    while ([...this.#guests].some((g) => g.leases.size > 0) && Date.now() < deadline) await sleep(10);
    for (const guest of this.#guests) guest.channel.close();
    await Promise.all([...this.#guests].map((g) => g.gone));
    await this.hub.close();
    try {
      await closeDatabase();
    } finally {
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    }
  }

  #accept(socket: Socket): void {
    const channel = new FrameChannel<GuestMessage, HostMessage>(socket);
    const guest: Guest = {
      channel,
      state: 'greeting',
      leases: new Map(),
      waiting: new Set(),
      listens: new Map(),
      nextLease: 1,
    };
    this.#guests.add(guest);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      guest.gone = this.#forget(guest);
    });
    channel.onMessage((message) => this.#receive(guest, message));
  }

  #receive(guest: Guest, message: GuestMessage): void {
    if (guest.state === 'greeting' && message.t === 'hello' && message.nonce instanceof Uint8Array) {
      guest.hostNonce = nonce();
      guest.state = 'proving';
      guest.channel.send({
        t: 'challenge',
        proof: proof(this.#address.secret, 'host', message.nonce),
        nonce: guest.hostNonce,
      });
    } else if (guest.state === 'proving' && message.t === 'auth') {
      if (!proofMatches(this.#address.secret, 'guest', guest.hostNonce!, message.proof)) return guest.channel.close();
      guest.state = 'ready';
      guest.channel.send({ t: this.#leaving ? 'leaving' : 'welcome' });
    } else if (guest.state === 'ready' && message.t === 'req') {
      void this.#serve(guest, message.id, message.op);
    } else {
      guest.channel.close(); // out of order: not a guest of ours
    }
  }

  async #serve(guest: Guest, id: number, op: Request): Promise<void> {
    try {
      const value = await this.#handle(guest, op);
      guest.channel.send({ t: 'res', id, ok: true, value });
    } catch (e) {
      const error = isHekimaError(e) ? e : toHekimaError(e);
      guest.channel.send({ t: 'res', id, ok: false, error: error.toJSON() });
    }
  }

  async #handle(guest: Guest, op: Request) {
    switch (op.kind) {
      case 'acquire':
        return this.#lend(guest);
      case 'query':
        return this.#lease(guest, op.lease).connection.query(op.text, op.params);
      case 'exec':
        await this.#lease(guest, op.lease).connection.exec(op.script);
        return null;
      case 'release': {
        const lease = guest.leases.get(op.lease);
        guest.leases.delete(op.lease);
        lease?.release(op.broken);
        return null;
      }
      case 'listen':
        if (!guest.listens.has(op.channel)) {
          const channel = op.channel;
          guest.listens.set(
            channel,
            await this.hub.subscribe(channel, (payload) => guest.channel.send({ t: 'notify', channel, payload })),
          );
        }
        return null;
      case 'unlisten': {
        const unlisten = guest.listens.get(op.channel);
        guest.listens.delete(op.channel);
        await unlisten?.();
        return null;
      }
    }
  }

  async #lend(guest: Guest): Promise<number> {
    if (this.#leaving) throw transient(HOST_LEAVING, 'The catalog host is closing.');
    const wait = new AbortController();
    guest.waiting.add(wait);
    try {
      const db = await this.#ready;
      const lease = await db
        .borrow(wait.signal)
        .catch((e: unknown) =>
          Promise.reject(
            wait.signal.aborted && this.#leaving ? transient(HOST_LEAVING, 'The catalog host is closing.') : e,
          ),
        );
      if (guest.channel.socket.destroyed) {
        lease.release(false); // the guest left while it waited
        throw transient(HOST_LEAVING, 'The guest left.');
      }
      const number = guest.nextLease++;
      guest.leases.set(number, lease);
      return number;
    } finally {
      guest.waiting.delete(wait);
    }
  }

  #lease(guest: Guest, number: number): DriverLease {
    const lease = guest.leases.get(number);
    if (!lease) throw transient('catalog_lease_unknown', `No transaction ${number} is open for this process.`);
    return lease;
  }

  /** A guest left: its waits end, its open transactions roll back, its subscriptions go. */
  async #forget(guest: Guest): Promise<void> {
    for (const wait of guest.waiting) wait.abort();
    for (const lease of guest.leases.values()) {
      let broken = false;
      await lease.connection.exec('ROLLBACK').catch(() => (broken = true));
      lease.release(broken);
    }
    guest.leases.clear();
    for (const unlisten of guest.listens.values()) await unlisten().catch(() => undefined);
    this.#guests.delete(guest);
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
