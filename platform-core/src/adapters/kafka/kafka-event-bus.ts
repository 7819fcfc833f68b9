import { NextPass } from '../parallel/next-pass.js';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { invalidState, permanent } from '../../domain/errors.js';
import { assertGroupId } from '../../domain/events/consumer-groups.js';
import { assertTenantTopics } from '../../domain/events/topics.js';
import { DEFAULT_RETRY_POLICY, retryPolicy, backoffDelay, type RetryPolicy } from '../../domain/events/retry-policy.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus, SubscribeOptions, Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../../ports/logger.js';
import type { SqlDatabase } from '../../ports/sql-database.js';
import type { ConsumedEventsRetention } from '../postgres/events/consumed-events-retention.js';
import type { EventLogRetention } from '../postgres/events/event-log-retention.js';
import { eventRetentionSweeper, type RetentionSweeper } from '../postgres/events/retention-sweeper.js';
import { Doorbell } from '../postgres/events/doorbell.js';
import { OutboxPublisher } from '../postgres/events/outbox-publisher.js';
import { silentLogger } from '../postgres/events/silent-logger.js';
import { OUTBOX_CHANNEL } from '../postgres/events/log-relay.js';
import { KafkaRelay } from './kafka-relay.js';
import { KafkaSubscription } from './kafka-subscription.js';

export interface KafkaEventBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** The catalog database: outbox, DLQ and de-duplication marks stay in PostgreSQL. */
  readonly db: SqlDatabase;
  readonly catalog: Catalog;
  readonly logger?: Logger;
  /** Relay polling (ms, default 1000; new outbox rows also wake it through NOTIFY on a server). */
  readonly pollMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  readonly relayBatchSize?: number;
  /** How long the de-duplication marks (`consumed_events`) are kept; the running relay prunes older ones. */
  readonly consumedRetention?: Partial<ConsumedEventsRetention>;
  /** How long delivered and audited outbox rows are kept (default 30 days); the running relay prunes older ones. */
  readonly logRetention?: Partial<EventLogRetention>;
  /** A ready client (tests inject a fake; default: `new Kafka({ brokers, clientId })`). */
  readonly kafka?: KafkaClient;
}

/** The part of kafkajs's `Kafka` the bus uses. */
export type KafkaClient = Pick<Kafka, 'producer' | 'admin' | 'consumer'>;

/**
 * The event bus on Kafka / Redpanda (kafkajs): the outbox is relayed to tenant topics by an
 * idempotent producer; consumers commit offsets manually after processing. Same contract as the
 * PostgreSQL log (docs/adr/0008, "Kafka mapping").
 */
export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  readonly #o: KafkaEventBusOptions;
  readonly #kafka: KafkaClient;
  readonly #producer: Producer;
  readonly #admin: Admin;
  readonly #relay: KafkaRelay;
  readonly #publisher: OutboxPublisher;
  readonly #logger: Logger;
  readonly #policy: RetryPolicy;
  readonly #subs = new Set<KafkaSubscription>();
  readonly #bell = new Doorbell();
  readonly #closing = new AbortController();
  #connected: Promise<void> | undefined;
  #relayLoop: Promise<void> | undefined;
  readonly #relayPass = new NextPass((signal) => this.#relayPasses(signal));
  #unlisten: (() => Promise<void>) | undefined;
  /** After a non-retriable refusal, send one message at a time to find the one Kafka refuses. */
  #isolating = false;
  readonly #sweeper: RetentionSweeper;

  constructor(options: KafkaEventBusOptions) {
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
    this.#sweeper = eventRetentionSweeper(options.db, options, 'relay-buffer', this.#logger);
    this.#kafka =
      options.kafka ??
      new Kafka({ clientId: options.clientId ?? 'hekima', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
    this.#producer = this.#kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.#admin = this.#kafka.admin();
    this.#publisher = new OutboxPublisher(options.catalog);
    this.#policy = retryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.#relay = new KafkaRelay({
      db: options.db,
      producer: this.#producer,
      admin: this.#admin,
      logger: this.#logger,
      numPartitions: options.numPartitions ?? 6,
      replicationFactor: options.replicationFactor ?? -1,
      onNewTopics: (topics) => this.#subs.forEach((sub) => sub.topicsCreated(topics)),
    });
  }

  publish: EventBus['publish'] = (tx, event) => this.#publisher.publish(tx, event);

  republish: EventBus['republish'] = async (tenantId, event, options = {}) => {
    if (options.group !== undefined) assertGroupId(options.group);
    return this.#publisher.republish(tenantId, event, options);
  };

  /** Relays until the outbox is empty (see NextPass). */
  relayOnce(signal?: AbortSignal): Promise<number> {
    return this.#relayPass.run(signal);
  }

  async #relayPasses(signal?: AbortSignal): Promise<number> {
    await this.#connect();
    let total = 0;
    for (;;) {
      const batch = this.#isolating ? 1 : (this.#o.relayBatchSize ?? 500);
      const moved = await this.#relay.pass(batch, signal);
      this.#isolating = false;
      total += moved;
      if (moved < batch) return total;
    }
  }

  async start(): Promise<void> {
    if (this.#closing.signal.aborted) throw invalidState('event_bus_closed', 'The event bus is closed.');
    await this.#connect();
    if (this.#o.db.driver === 'postgres' && !this.#unlisten) {
      const schema = this.#o.db.schema;
      this.#unlisten = await this.#o.db.listen(OUTBOX_CHANNEL, (p) => (p === schema ? this.#bell.ring() : undefined));
    }
    this.#relayLoop ??= this.#runRelay();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#closing.signal.aborted) throw invalidState('event_bus_closed', 'The event bus is closed.');
    assertGroupId(options.group);
    await this.#connect();
    const tenantId = options.tenantId.toLowerCase();
    const slug = await this.#publisher.slugOf(this.#o.catalog.forTenant(tenantId));
    if (options.topics !== 'all') assertTenantTopics(slug, options.topics);
    const sub = await KafkaSubscription.start(
      {
        kafka: this.#kafka,
        admin: this.#admin,
        db: this.#o.db,
        tenantSlug: slug,
        topics: options.topics,
        concurrency: options.concurrency ?? 8,
        pollMs: this.#o.pollMs ?? 1000,
        relay: (signal) => this.relayOnce(signal),
        ensureTopics: (topics) => this.#relay.ensureTopics(topics),
      },
      {
        catalog: this.#o.catalog,
        publisher: this.#publisher,
        tenantId,
        group: options.group,
        stage: options.dlqStage ?? 'execution',
        policy: retryPolicy({ ...this.#policy, ...options.retry }),
        handler: options.handler,
        logger: this.#logger.child({ group: options.group }),
      },
    );
    this.#subs.add(sub);
    options.signal?.addEventListener('abort', () => void sub.close(), { once: true });
    return {
      group: sub.group,
      caughtUp: (signal) => sub.caughtUp(signal),
      close: async () => {
        this.#subs.delete(sub);
        await sub.close();
      },
    };
  }

  /** Test and tooling door: puts raw bytes on a topic, bypassing the outbox. */
  async sendRaw(topic: string, key: string, value: string): Promise<void> {
    await this.#connect();
    await this.#relay.ensureTopics([topic]);
    await this.#producer.send({ topic, messages: [{ key, value }] });
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#bell.ring();
    await Promise.allSettled([...this.#subs].map((s) => s.close()));
    await this.#relayLoop;
    await this.#sweeper.settled();
    await this.#unlisten?.().catch(() => undefined);
    if (this.#connected) {
      await Promise.allSettled([this.#producer.disconnect(), this.#admin.disconnect()]);
    }
  }

  #connect(): Promise<void> {
    this.#connected ??= Promise.all([this.#producer.connect(), this.#admin.connect()]).then(() => undefined);
    return this.#connected;
  }

  /**
   * The background relay. A retriable failure (broker unreachable, leader election) is retried
   * with backoff for as long as it lasts: the events wait, durable, in the outbox. A non-retriable
   * refusal is narrowed down to one message, which goes to the DLQ (`event_publish`); the rest flow on.
   */
  async #runRelay(): Promise<void> {
    const signal = this.#closing.signal;
    let failures = 0;
    while (!signal.aborted) {
      let wait = this.#o.pollMs ?? 1000;
      this.#sweeper.poke(signal);
      try {
        await this.relayOnce(signal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        if (isRetriable(e)) {
          failures += 1;
          wait = backoffDelay(this.#policy, failures);
          this.#logger.error('Kafka relay failed; retrying', { error: (e as Error).message, failures, delayMs: wait });
        } else if (!this.#isolating) {
          this.#isolating = true;
          wait = 0;
        } else {
          this.#isolating = false;
          const refused = permanent('event_publish_refused', `Kafka refused the event: ${(e as Error).message}`, {
            cause: e,
          });
          await this.#relay
            .parkOldest(this.#o.catalog, refused.toJSON())
            .catch((parkError: unknown) =>
              this.#logger.error('cannot park the refused event', { error: (parkError as Error).message }),
            );
          wait = 0;
        }
      }
      await this.#bell.wait(wait, signal);
    }
  }
}

/** kafkajs marks its errors `retriable`; a database error is retried too (the outbox is intact). */
function isRetriable(e: unknown): boolean {
  const flag = (e as { retriable?: unknown } | null)?.retriable;
  return typeof flag === 'boolean' ? flag : true;
}
