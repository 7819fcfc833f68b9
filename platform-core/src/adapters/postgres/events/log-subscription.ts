import { throwIfAborted } from '../../../domain/errors.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import type { Subscription } from '../../../ports/event-bus.js';
import { Doorbell, sleep } from './doorbell.js';
import { deliverMessage, type DeliveryContext } from './event-delivery.js';
import { GroupOffsets, keyId } from './group-offsets.js';
import { KeyWorkers } from './key-workers.js';
import { LogSession, type Pending } from './log-session.js';
import type { LogSubscriptionSettings } from './log-settings.js';

/**
 * A consumer group member on the PostgreSQL log. One member per (tenant, group) is active (the
 * lease); it fetches rows after its cursor, runs them per partition key (in order within a key,
 * keys in parallel), and commits per-key offsets, the group watermark and handled event ids after
 * processing. Standby members take over when the lease expires. See docs/adr/0008.
 */
export class LogSubscription implements Subscription {
  readonly group: string;
  /** Rung by the bus when the relay moved events of this tenant. */
  readonly doorbell = new Doorbell();
  readonly #progress = new Doorbell();
  readonly #closing = new AbortController();
  readonly #offsets: GroupOffsets;
  readonly #loop: Promise<void>;

  constructor(
    private readonly s: LogSubscriptionSettings,
    private readonly delivery: DeliveryContext,
  ) {
    this.group = delivery.group;
    this.#offsets = new GroupOffsets(s.db, delivery.tenantId, delivery.group, s.owner, s.leaseMs);
    s.signal?.addEventListener('abort', () => void this.close(), { once: true });
    this.#loop = this.#run();
  }

  async caughtUp(signal?: AbortSignal): Promise<void> {
    await this.s.relay(signal);
    const target = await this.s.db.withTenant(
      this.delivery.tenantId,
      async (sql) => {
        const topics = this.s.topics;
        const { rows } = await sql.query(
          `SELECT COALESCE(max(log_seq), 0) AS head FROM events
            WHERE tenant_id = $1 AND log_seq IS NOT NULL AND (target_group IS NULL OR target_group = $2)
            ${topics === 'all' ? '' : 'AND topic = ANY($3::text[])'}`,
          topics === 'all' ? [this.delivery.tenantId, this.group] : [this.delivery.tenantId, this.group, topics],
        );
        return Number(rows[0]?.['head'] ?? 0);
      },
      signal,
    );
    while ((await this.#offsets.committedWatermark(signal)) < target) {
      throwIfAborted(signal, 'catching up');
      await this.#progress.wait(this.s.pollMs, signal);
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted) {
      try {
        if (await this.#offsets.acquire(signal)) await this.#session();
        else await sleep(Math.max(this.s.pollMs, this.s.leaseMs / 3), signal);
      } catch (e) {
        if (signal.aborted) break;
        this.delivery.logger.error('event subscription failed; restarting', {
          group: this.group,
          error: (e as Error).message,
        });
        await sleep(1000, signal);
      }
    }
    await this.#offsets.release().catch(() => undefined);
  }

  /** Holds the lease until it is lost or the subscription closes. */
  async #session(): Promise<void> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    this.#closing.signal.addEventListener('abort', stop, { once: true });
    const loaded = await this.#offsets.load(abort.signal);
    const session = new LogSession(
      this.#offsets,
      loaded,
      this.delivery.logger,
      () => {
        this.#progress.ring();
      },
      stop,
    );
    const workers = new KeyWorkers<Pending>(
      this.s.concurrency,
      async (_key, pending) => {
        if (session.alreadyHandled(pending.eventId)) {
          session.done(pending);
          return true;
        }
        const result = await deliverMessage(this.delivery, pending.message, abort.signal);
        if (result.outcome === 'aborted') return false;
        session.done(pending, result.outcome === 'handled' ? result.eventId : undefined);
        return true;
      },
      () => this.#progress.ring(),
    );
    const renew = setInterval(() => {
      this.#offsets.acquire().then(
        (ok) => (ok ? undefined : stop()),
        () => undefined,
      );
    }, this.s.leaseMs / 3);
    try {
      while (!abort.signal.aborted) {
        if (workers.buffered >= this.s.maxBuffered) {
          await this.#progress.wait(this.s.pollMs, abort.signal);
          continue;
        }
        const rows = await this.#fetch(session.cursor, abort.signal);
        if (rows.length === 0) {
          await this.doorbell.wait(this.s.pollMs, abort.signal);
          continue;
        }
        const handled = rows.handled;
        for (const row of rows) {
          const pending = session.fetched(row, handled);
          if (!pending) continue;
          // One at a time means log order across keys too (the audit chain relies on it).
          const { topic, partitionKey } = pending.message;
          workers.push(this.s.concurrency === 1 ? '' : keyId(topic, partitionKey), pending);
        }
        session.requestCommit();
      }
    } finally {
      clearInterval(renew);
      this.#closing.signal.removeEventListener('abort', stop);
      abort.abort();
      await workers.idle();
      await session.flush();
    }
  }

  async #fetch(cursor: number, signal: AbortSignal): Promise<SqlRow[] & { handled: Set<string> }> {
    const { tenantId } = this.delivery;
    return this.s.db.withTenant(
      tenantId,
      async (sql) => {
        const topics = this.s.topics;
        const params = [tenantId, String(cursor), this.group, this.s.batchSize, ...(topics === 'all' ? [] : [topics])];
        const { rows } = await sql.query(
          `SELECT log_seq, event_id, type, tenant_id, correlation_id, occurred_at, payload, topic, partition_key
             FROM events
            WHERE tenant_id = $1 AND log_seq > $2::bigint AND (target_group IS NULL OR target_group = $3)
            ${topics === 'all' ? '' : 'AND topic = ANY($5::text[])'}
            ORDER BY log_seq LIMIT $4`,
          params,
        );
        const handled = await this.#offsets.handledAmong(
          sql,
          rows.map((r) => String(r['event_id'])),
        );
        return Object.assign(rows, { handled });
      },
      signal,
    );
  }
}
