import { connect } from 'node:net';
import { abortError, errorFromJSON, forbidden, transient } from '../../../domain/errors.js';
import type { SqlParam, SqlResult } from '../../../ports/sql-database.js';
import type { DriverLease } from '../driver-connection.js';
import { nonce, proof, proofMatches, type CatalogAddress } from './catalog-address.js';
import { FrameChannel } from './frame-channel.js';
import { HOST_LEAVING, HOST_LOST, type GuestMessage, type HostMessage, type Request } from './protocol.js';

const HANDSHAKE_MS = 10_000;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly acquire: boolean;
}

/**
 * A guest's connection to the catalog host (see catalog-host.ts): transactions borrow the host's
 * connection through it. When the host goes, a wait for a connection fails with
 * `catalog_host_leaving` (nothing ran: the caller elects again and retries) and a statement of a
 * transaction in progress with Transient `catalog_host_lost` (the transaction is gone).
 */
export class CatalogLink {
  readonly #channel: FrameChannel<HostMessage, GuestMessage>;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  #onNotify: (channel: string, payload: string) => void = () => undefined;
  #onClose: () => void = () => undefined;

  private constructor(channel: FrameChannel<HostMessage, GuestMessage>) {
    this.#channel = channel;
    channel.onMessage((m) => this.#receive(m));
    channel.socket.on('close', () => this.#lost());
  }

  /**
   * Connects and runs the handshake: the link, `absent` (nobody listens: the host just ended) or
   * `leaving` (the host is closing). Forbidden `catalog_host_unverified` when the process at the
   * address cannot prove it holds the data folder's secret.
   */
  static async connect(address: CatalogAddress): Promise<CatalogLink | 'absent' | 'leaving'> {
    const socket = connect(address.path);
    const channel = new FrameChannel<HostMessage, GuestMessage>(socket);
    return new Promise((resolve, reject) => {
      const mine = nonce();
      const timer = setTimeout(() => finish(() => resolve('absent')), HANDSHAKE_MS);
      const finish = (then: () => void, keep = false) => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        socket.on('error', () => undefined);
        if (!keep) socket.destroy();
        then();
      };
      socket.once('error', () => finish(() => resolve('absent')));
      socket.once('close', () => finish(() => resolve('absent')));
      socket.once('connect', () => channel.send({ t: 'hello', nonce: mine }));
      channel.onMessage((m) => {
        if (m.t === 'challenge') {
          if (!proofMatches(address.secret, 'host', mine, m.proof))
            return finish(() =>
              reject(
                forbidden(
                  'catalog_host_unverified',
                  'The process serving this embedded catalog could not prove it holds the catalog key; refusing to use it.',
                ),
              ),
            );
          channel.send({ t: 'auth', proof: proof(address.secret, 'guest', m.nonce) });
        } else if (m.t === 'welcome') {
          finish(() => resolve(new CatalogLink(channel)), true);
        } else {
          finish(() => resolve('leaving'));
        }
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  onNotify(handler: (channel: string, payload: string) => void): void {
    this.#onNotify = handler;
  }

  onClose(handler: () => void): void {
    this.#onClose = handler;
  }

  async acquire(signal?: AbortSignal): Promise<DriverLease> {
    const granted = this.#request({ kind: 'acquire' }) as Promise<number>;
    let lease: number;
    if (!signal) lease = await granted;
    else {
      if (signal.aborted) throw abortError(signal, 'waiting for the database');
      lease = await new Promise<number>((resolve, reject) => {
        const onAbort = () => {
          reject(abortError(signal, 'waiting for the database'));
          granted.then(
            (n) => this.#request({ kind: 'release', lease: n, broken: false }).catch(() => undefined),
            () => undefined,
          );
        };
        signal.addEventListener('abort', onAbort, { once: true });
        granted.then(
          (n) => (signal.removeEventListener('abort', onAbort), resolve(n)),
          (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
        );
      });
    }
    return {
      connection: {
        query: (text: string, params: readonly SqlParam[]) =>
          this.#request({ kind: 'query', lease, text, params }) as Promise<SqlResult>,
        exec: async (script: string) => {
          await this.#request({ kind: 'exec', lease, script });
        },
      },
      release: (broken) => void this.#request({ kind: 'release', lease, broken }).catch(() => undefined),
    };
  }

  async listen(channel: string): Promise<void> {
    await this.#request({ kind: 'listen', channel });
  }

  async unlisten(channel: string): Promise<void> {
    await this.#request({ kind: 'unlisten', channel });
  }

  close(): void {
    this.#channel.close();
  }

  #request(op: Request): Promise<unknown> {
    if (this.#closed) return Promise.reject(gone(op.kind === 'acquire'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, acquire: op.kind === 'acquire' });
      if (!this.#channel.send({ t: 'req', id, op })) {
        this.#pending.delete(id);
        reject(gone(op.kind === 'acquire'));
      }
    });
  }

  #receive(message: HostMessage): void {
    if (message.t === 'notify') return this.#onNotify(message.channel, message.payload);
    if (message.t !== 'res') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(errorFromJSON(message.error));
  }

  #lost(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#pending.values()) pending.reject(gone(pending.acquire));
    this.#pending.clear();
    this.#onClose();
  }
}

function gone(beforeGrant: boolean) {
  return beforeGrant
    ? transient(HOST_LEAVING, 'The process hosting the embedded catalog ended before lending its connection.')
    : transient(
        HOST_LOST,
        'The process hosting the embedded catalog ended during this transaction; it was rolled back. Retry: another process takes over.',
      );
}
