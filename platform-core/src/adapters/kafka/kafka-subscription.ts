import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { throwIfAborted } from '../../domain/errors.js';
import type { Subscription } from '../../ports/event-bus.js';
import type { SqlDatabase } from '../../ports/sql-database.js';
import { Doorbell } from '../postgres/events/doorbell.js';
import { deliverMessage, type DeliveryContext } from '../postgres/events/event-delivery.js';
import { GroupOffsets } from '../postgres/events/group-offsets.js';
import { escapeRegExp, kafkaGroupId, TARGET_GROUP_HEADER } from './kafka-headers.js';

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
    if (this.o.topics !== 'all') await this.o.ensureTopics(this.o.topics);
    await this.#consumer.connect();
    // 'all': every topic of the tenant that exists now (kafkajs resolves a pattern at subscribe time).
    const topics =
      this.o.topics === 'all' ? [new RegExp(`^${escapeRegExp(this.o.tenantSlug)}\\.`)] : [...this.o.topics];
    await this.#consumer.subscribe({ topics, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.o.concurrency,
      eachMessage: (payload) => this.#each(payload),
    });
  }

  async #each({ topic, partition, message }: EachMessagePayload): Promise<void> {
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
