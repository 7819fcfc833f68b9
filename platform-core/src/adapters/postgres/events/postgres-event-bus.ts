import { NextPass } from '../../parallel/next-pass.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_RETRY_POLICY, retryPolicy, type RetryPolicy } from '../../../domain/events/retry-policy.js';
import { assertGroupId } from '../../../domain/events/consumer-groups.js';
import { assertTenantTopics } from '../../../domain/events/topics.js';
import { invalidState } from '../../../domain/errors.js';
import type { Catalog } from '../../../ports/catalog.js';
import type { EventBus, SubscribeOptions, Subscription } from '../../../ports/event-bus.js';
import type { Logger } from '../../../ports/logger.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import type { ConsumedEventsRetention } from './consumed-events-retention.js';
import type { EventLogRetention } from './event-log-retention.js';
import { eventRetentionSweeper, type RetentionSweeper } from './retention-sweeper.js';
import { Doorbell } from './doorbell.js';
import { EVENTS_CHANNEL, OUTBOX_CHANNEL, relayToLog } from './log-relay.js';
import { LogSubscription } from './log-subscription.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { silentLogger } from './silent-logger.js';

const RELAY_NUDGE_MS = 5;

export interface PostgresEventBusOptions {
  readonly db: SqlDatabase;
  readonly catalog: Catalog;
  readonly logger?: Logger;
  /** Polling fallback (ms): default 100 on PGlite (no notifications), 1000 on a server (LISTEN/NOTIFY). */
  readonly pollMs?: number;
  /** Defaults for every subscription (tests shorten the delays). */
  readonly retry?: Partial<RetryPolicy>;
  readonly leaseMs?: number;
  readonly relayBatchSize?: number;
  readonly fetchBatchSize?: number;
  /** How long `consumed_events` marks are kept; the running relay (`start()`) prunes older ones. */
  readonly consumedRetention?: Partial<ConsumedEventsRetention>;
  /**
   * How long the log keeps rows every group and the audit are done with (default 30 days, at least
   * the consumed retention); the running relay prunes older ones (docs/adr/0017).
   */
  readonly logRetention?: Partial<EventLogRetention>;
}

/**
 * The PostgreSQL event bus: the outbox table is the log (docs/adr/0008). Works on PGlite
 * (polling; one process) and on a server (LISTEN/NOTIFY wake-ups; any number of processes).
 */
export class PostgresEventBus implements EventBus {
  readonly kind = 'postgres' as const;
  readonly #o: PostgresEventBusOptions;
  readonly #publisher: OutboxPublisher;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #policy: RetryPolicy;
  readonly #owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #subscriptions = new Set<{ tenantId: string; sub: LogSubscription }>();
  readonly #relayBell = new Doorbell();
  readonly #closing = new AbortController();
  #relayLoop: Promise<void> | undefined;
  readonly #relayPass = new NextPass((signal) => this.#relayPasses(signal));
  #unlisten: (() => Promise<void>)[] = [];
  #listening: Promise<void> | undefined;
  #nudge: ReturnType<typeof setTimeout> | undefined;
  readonly #sweeper: RetentionSweeper;

  constructor(options: PostgresEventBusOptions) {
    this.#o = options;
    this.#publisher = new OutboxPublisher(options.catalog);
    this.#logger = options.logger ?? silentLogger;
    this.#sweeper = eventRetentionSweeper(options.db, options, 'log', this.#logger);
    this.#pollMs = options.pollMs ?? (options.db.driver === 'pglite' ? 100 : 1000);
    this.#policy = retryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
  }

  publish: EventBus['publish'] = async (tx, event) => {
    const published = await this.#publisher.publish(tx, event);
    this.#nudgeRelay();
    return published;
  };

  republish: EventBus['republish'] = async (tenantId, event, options = {}) => {
    if (options.group !== undefined) assertGroupId(options.group);
    return this.#publisher.republish(tenantId, event, options);
  };

  /**
   * Relays until the outbox is empty. A pass always starts after the call (a pass already running
   * may have missed rows committed since), and concurrent callers share the next one.
   */
  relayOnce(signal?: AbortSignal): Promise<number> {
    return this.#relayPass.run(signal);
  }

  async #relayPasses(signal?: AbortSignal): Promise<number> {
    let total = 0;
    const batch = this.#o.relayBatchSize ?? 500;
    for (;;) {
      const pass = await relayToLog(this.#o.db, batch, signal);
      total += pass.moved;
      for (const { tenantId, sub } of this.#subscriptions) if (pass.tenants.includes(tenantId)) sub.doorbell.ring();
      if (pass.moved < batch) return total;
    }
  }

  async start(): Promise<void> {
    this.#assertOpen();
    await this.#listen();
    this.#relayLoop ??= this.#runRelay();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    assertGroupId(options.group);
    if (options.topics !== 'all') {
      const slug = await this.#publisher.slugOf(this.#o.catalog.forTenant(options.tenantId));
      assertTenantTopics(slug, options.topics);
    }
    await this.#listen();
    const sub = new LogSubscription(
      {
        db: this.#o.db,
        topics: options.topics,
        concurrency: options.concurrency ?? 8,
        pollMs: this.#pollMs,
        leaseMs: this.#o.leaseMs ?? 15_000,
        batchSize: this.#o.fetchBatchSize ?? 200,
        maxBuffered: 2_000,
        owner: this.#owner,
        relay: (signal) => this.relayOnce(signal),
        signal: options.signal,
      },
      {
        catalog: this.#o.catalog,
        publisher: this.#publisher,
        tenantId: options.tenantId.toLowerCase(),
        group: options.group,
        stage: options.dlqStage ?? 'execution',
        policy: retryPolicy({ ...this.#policy, ...options.retry }),
        handler: options.handler,
        logger: this.#logger.child({ group: options.group }),
      },
    );
    const entry = { tenantId: options.tenantId.toLowerCase(), sub };
    this.#subscriptions.add(entry);
    const close = sub.close.bind(sub);
    return {
      group: sub.group,
      caughtUp: (signal) => sub.caughtUp(signal),
      close: async () => {
        this.#subscriptions.delete(entry);
        await close();
      },
    };
  }

  async close(): Promise<void> {
    this.#closing.abort();
    clearTimeout(this.#nudge);
    this.#relayBell.ring();
    await Promise.allSettled([...this.#subscriptions].map(({ sub }) => sub.close()));
    this.#subscriptions.clear();
    await this.#relayLoop;
    await this.#sweeper.settled();
    await this.#listening?.catch(() => undefined);
    await Promise.allSettled(this.#unlisten.map((u) => u()));
  }

  /**
   * In-process wake-up after a publish, a few ms later so that a burst of producers shares one
   * relay pass (the relay's transaction queues behind the producer's on PGlite; on a server the
   * commit's NOTIFY wakes the relays of every process).
   */
  #nudgeRelay(): void {
    if (this.#nudge !== undefined) return;
    this.#nudge = setTimeout(() => {
      this.#nudge = undefined;
      this.#relayBell.ring();
    }, RELAY_NUDGE_MS);
    this.#nudge.unref();
  }

  #assertOpen(): void {
    if (this.#closing.signal.aborted) throw invalidState('event_bus_closed', 'The event bus is closed.');
  }

  /** Wake-ups on a server: new outbox rows (relay) and relayed rows (subscriptions). PGlite polls. */
  #listen(): Promise<void> {
    if (this.#o.db.driver !== 'postgres') return Promise.resolve();
    this.#listening ??= (async () => {
      const schema = this.#o.db.schema;
      this.#unlisten.push(
        await this.#o.db.listen(OUTBOX_CHANNEL, (payload) => (payload === schema ? this.#relayBell.ring() : undefined)),
        await this.#o.db.listen(EVENTS_CHANNEL, (payload) => {
          const [s, tenant] = payload.split(':');
          if (s !== schema) return;
          for (const { tenantId, sub } of this.#subscriptions) if (tenantId === tenant) sub.doorbell.ring();
        }),
      );
    })();
    return this.#listening;
  }

  async #runRelay(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted) {
      this.#sweeper.poke(signal);
      try {
        await this.relayOnce(signal);
      } catch (e) {
        if (signal.aborted) break;
        this.#logger.error('event relay failed; retrying', { error: (e as Error).message });
      }
      await this.#relayBell.wait(this.#pollMs, signal);
    }
  }
}
