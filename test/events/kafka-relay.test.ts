import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kafka, Message } from 'kafkajs';
import { KafkaEventBus } from '../../platform-core/src/adapters/kafka/kafka-event-bus.js';
import { parseEvent } from '../../platform-core/src/domain/events/parse-event.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { freshTenant, publishData } from './contract/event-context.js';
import type { EventHarness } from './support/event-harness.js';

/**
 * The outbox → Kafka relay without a broker: kafkajs's producer and admin replaced by fakes that
 * record what they are given and refuse what a test says. (The full contract runs against a real
 * broker when HEKIMA_TEST_KAFKA_BROKERS is set: kafka-event-bus.test.ts.)
 */
function fakeKafka(refuse: (m: Message) => Error | undefined) {
  const sent: { topic: string; key: string; value: string; headers: Record<string, string> }[] = [];
  const topics = new Set<string>();
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async () => [],
    sendBatch: async ({ topicMessages }: { topicMessages: { topic: string; messages: Message[] }[] }) => {
      for (const { messages } of topicMessages) {
        for (const m of messages) {
          const error = refuse(m);
          if (error) throw error;
        }
      }
      for (const { topic, messages } of topicMessages) {
        for (const m of messages) {
          sent.push({
            topic,
            key: String(m.key),
            value: String(m.value),
            headers: (m.headers ?? {}) as Record<string, string>,
          });
        }
      }
      return [];
    },
  };
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    createTopics: async ({ topics: list }: { topics: { topic: string }[] }) => {
      list.forEach((t) => topics.add(t.topic));
      return true;
    },
  };
  const kafka = { producer: () => producer, admin: () => admin, consumer: () => ({}) } as unknown as Pick<
    Kafka,
    'producer' | 'admin' | 'consumer'
  >;
  return { kafka, sent, topics };
}

describe('Kafka relay (fake client)', () => {
  let t: TestCatalog;
  beforeAll(async () => {
    t = await openPgliteCatalog();
  });
  afterAll(async () => {
    await t?.cleanup();
  });
  const harness = () => ({ catalog: t.catalog, db: t.db }) as unknown as EventHarness;
  const unpublished = async () =>
    (await t.db.admin.transaction((sql) => sql.query('SELECT count(*) AS n FROM events WHERE published_at IS NULL')))
      .rows[0]!['n'];

  it('sends committed outbox rows in order, keyed by product, to topics it creates; retries what is retriable', async () => {
    let failures = 2;
    const fake = fakeKafka(() =>
      failures-- > 0 ? Object.assign(new Error('LEADER_NOT_AVAILABLE'), { retriable: true }) : undefined,
    );
    const bus = new KafkaEventBus({
      brokers: [],
      db: t.db,
      catalog: t.catalog,
      kafka: fake.kafka,
      pollMs: 10,
      retry: { initialDelayMs: 5 },
    });
    const tenant = await freshTenant(harness(), 'kafka');
    const published = await publishData(harness(), bus, tenant, 'orders', 3);
    await bus.start();
    await vi.waitFor(async () => expect(await unpublished()).toBe('0'), { timeout: 5_000, interval: 20 });
    const mine = fake.sent.filter((m) => m.topic.startsWith(tenant.slug));
    expect(mine.map((m) => m.topic)).toEqual(Array(3).fill(`${tenant.slug}.orders.data.available`));
    expect(mine.map((m) => m.key)).toEqual(['orders', 'orders', 'orders']);
    const events = mine.map((m) => parseEvent(m.value));
    expect(events.map((r) => (r.ok ? r.event.eventId : r.failure.code))).toEqual(published.map((p) => p.event.eventId));
    expect(fake.topics.has(`${tenant.slug}.orders.data.available`)).toBe(true);
    // An explicit replay carries its target group in a header.
    await bus.republish(tenant.id, published[0]!.event, { group: 'only-me', product: 'orders' });
    await bus.relayOnce();
    expect(fake.sent.at(-1)!.headers).toEqual({ 'hekima-target-group': 'only-me' });
    await bus.close();
  });

  it('parks the one message Kafka refuses (event_publish) and relays the rest', async () => {
    const fake = fakeKafka((m) =>
      String(m.value).includes('"snap-1"')
        ? Object.assign(new Error('MESSAGE_TOO_LARGE'), { retriable: false })
        : undefined,
    );
    const bus = new KafkaEventBus({ brokers: [], db: t.db, catalog: t.catalog, kafka: fake.kafka, pollMs: 10 });
    const tenant = await freshTenant(harness(), 'kafka');
    const published = await publishData(harness(), bus, tenant, 'orders', 3);
    await bus.start();
    await vi.waitFor(async () => expect(await unpublished()).toBe('0'), { timeout: 5_000, interval: 20 });
    const mine = fake.sent
      .filter((m) => m.topic.startsWith(tenant.slug))
      .map((m) => JSON.parse(m.value).payload.snapshot_id);
    expect(mine).toEqual(['snap-0', 'snap-2']);
    const [entry] = (await t.catalog.forTenant(tenant.id).dlq.list()).items;
    expect(entry).toMatchObject({
      stage: 'event_publish',
      eventId: published[1]!.event.eventId,
      error: { code: 'event_publish_refused', retryable: false },
      topic: `${tenant.slug}.orders.data.available`,
    });
    await bus.close();
  });
});
