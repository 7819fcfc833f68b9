import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { throwIfAborted } from '../../domain/errors.js';
import type { Subscription } from '../../ports/event-bus.js';
import type { SqlDatabase } from '../../ports/sql-database.js';
import { Doorbell } from '../postgres/events/doorbell.js';
import { deliverMessage, type DeliveryContext } from '../postgres/events/event-delivery.js';
import { GroupOffsets } from '../postgres/events/group-offsets.js';
import { kafkaGroupId, TARGET_GROUP_HEADER } from './kafka-headers.js';

const TOPIC_REFRESH_MS = 5_000;
const HEARTBEAT_MS = 3_000;

export interface KafkaSubscriptionOptions {
  readonly kafka: Pick<Kafka, 'consumer'>;
  readonly admin: Admin;
  readonly db: SqlDatabase;
  readonly tenantSlug: string;
  readonly topics: readonly string[] | 'all';
  readonly concurrency: number;
  readonly pollMs: number;
  readonly relay: (signal?: AbortSignal) => Promise<unknown>;
  /** Topics must exist before a consumer subscribes to them by name. */
  readonly ensureTopics: (topics: readonly string[]) => Promise<void>;
}

/**
 * A consumer group member on Kafka: partitions (keyed by product) are consumed one message at a
 * time, several partitions in parallel; the offset is committed after the message was handled or
 * parked; event ids already handled by the group (PostgreSQL `consumed_events`) are skipped.
 */
export class KafkaSubscription implements Subscription {
  readonly group: string;
  readonly #groupId: string;
  readonly #consumer: Consumer;
  readonly #closing = new AbortController();
  readonly #offsets: GroupOffsets;
  readonly #progress = new Doorbell();
  readonly #subscribed = new Set<string>();
  #refreshing: Promise<void> = Promise.resolve();
  #refreshTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly o: KafkaSubscriptionOptions,
    private readonly delivery: DeliveryContext,
  ) {
    this.group = delivery.group;
    this.#groupId = kafkaGroupId(o.tenantSlug, delivery.group);
    this.#consumer = o.kafka.consumer({ groupId: this.#groupId, allowAutoTopicCreation: false });
    this.#offsets = new GroupOffsets(o.db, delivery.tenantId, delivery.group, 'kafka', 1);
  }

  static async start(o: KafkaSubscriptionOptions, delivery: DeliveryContext): Promise<KafkaSubscription> {
    const sub = new KafkaSubscription(o, delivery);
    await sub.#start();
    return sub;
  }

  async #start(): Promise<void> {
    await this.#consumer.connect();
    if (this.o.topics !== 'all') {
      await this.o.ensureTopics(this.o.topics);
      await this.#subscribeTo(this.o.topics);
      return;
    }
    // 'all': kafkajs fixes a subscription when the consumer runs, so topics the tenant gains later
    // (a new product) are picked up by re-subscribing: on every caughtUp() and every few seconds.
    await this.#refreshTopics();
    this.#refreshTimer = setInterval(() => void this.#refreshTopics().catch(() => undefined), TOPIC_REFRESH_MS);
    this.#refreshTimer.unref();
  }

  /** A topic was created: an 'all' subscription of its tenant picks it up now. */
  topicsCreated(topics: readonly string[]): void {
    if (this.o.topics === 'all' && topics.some((t) => t.startsWith(`${this.o.tenantSlug}.`)))
      void this.#refreshTopics().catch(() => undefined);
  }

  /** Subscribes to the tenant's topics as they are now, restarting the consumer if the set grew. */
  #refreshTopics(): Promise<void> {
    this.#refreshing = this.#refreshing.then(async () => {
      if (this.#closing.signal.aborted) return;
      const prefix = `${this.o.tenantSlug}.`;
      const topics = (await this.o.admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
      if (topics.length === 0 || topics.every((t) => this.#subscribed.has(t))) return;
      if (this.#subscribed.size > 0) await this.#consumer.stop();
      await this.#subscribeTo(topics);
    });
    return this.#refreshing;
  }

  async #subscribeTo(topics: readonly string[]): Promise<void> {
    await this.#consumer.subscribe({ topics: [...topics], fromBeginning: true });
    for (const t of topics) this.#subscribed.add(t);
    await this.#consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.o.concurrency,
      eachMessage: (payload) => this.#each(payload),
    });
  }

  async #each({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const signal = this.#closing.signal;
    if (signal.aborted) return;
    const commit = async () => {
      await this.#consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      this.#progress.ring();
    };
    const target = message.headers?.[TARGET_GROUP_HEADER]?.toString();
    if (target !== undefined && target !== this.group) return commit();
    const value = message.value ?? Buffer.alloc(0);
    const eventId = peekEventId(value);
    if (eventId !== undefined) {
      const seen = await this.o.db.withTenant(this.delivery.tenantId, (sql) =>
        this.#offsets.handledAmong(sql, [eventId]),
      );
      if (seen.has(eventId)) return commit();
    }
    // Retries can block a partition for minutes: keep the group membership alive meanwhile.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
    const result = await deliverMessage(
      this.delivery,
      {
        raw: new Uint8Array(value),
        topic,
        partitionKey: message.key?.toString() ?? topic,
        position: `${partition}:${message.offset}`,
      },
      signal,
    );
    clearInterval(beat);
    if (result.outcome === 'aborted') return;
    if (result.outcome === 'handled') {
      await this.o.db.withTenant(this.delivery.tenantId, (sql) =>
        sql.query(
          `INSERT INTO consumed_events (tenant_id, consumer_group, event_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [this.delivery.tenantId, this.group, result.eventId],
        ),
      );
    }
    await commit();
  }

  async caughtUp(signal?: AbortSignal): Promise<void> {
    await this.o.relay(signal);
    if (this.o.topics === 'all') await this.#refreshTopics();
    const all = await this.o.admin.listTopics();
    const topics =
      this.o.topics === 'all'
        ? all.filter((t) => t.startsWith(`${this.o.tenantSlug}.`))
        : this.o.topics.filter((t) => all.includes(t));
    const highs = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await this.o.admin.fetchTopicOffsets(topic)) highs.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
    for (;;) {
      throwIfAborted(signal, 'catching up');
      const committed = await this.o.admin.fetchOffsets({ groupId: this.#groupId, topics });
      const behind = [...highs].some(([key, high]) => {
        const [topic, partition] = splitKey(key);
        const offset = committed
          .find((t) => t.topic === topic)
          ?.partitions.find((p) => p.partition === partition)?.offset;
        const at = offset === undefined || offset === '-1' ? 0n : BigInt(offset);
        return at < high;
      });
      if (!behind) return;
      await this.#progress.wait(this.o.pollMs, signal);
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    clearInterval(this.#refreshTimer);
    await this.#refreshing.catch(() => undefined);
    await this.#consumer.disconnect();
  }
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

function peekEventId(value: Buffer): string | undefined {
  try {
    const id = (JSON.parse(value.toString('utf8')) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
