/* A broker double for the Kafka adapter: just enough of kafkajs's client (producer, admin,
 * consumer groups with committed offsets, one partition per topic) to run the event-bus contract
 * without a broker. It is NOT Kafka: no protocol, no rebalancing protocol, no real partitions —
 * the contract against a real broker runs when HEKIMA_TEST_KAFKA_BROKERS is set. */
import type { EachMessagePayload, Kafka, Message } from 'kafkajs';

interface Stored {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, Buffer>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MemoryKafka {
  readonly topics = new Map<string, Stored[]>();
  readonly committed = new Map<string, Map<string, number>>();
  readonly members: MemoryConsumer[] = [];
  /** (group, topic) pairs a member is processing a message of: a partition moves only between messages. */
  readonly busy = new Set<string>();

  client(): Pick<Kafka, 'producer' | 'admin' | 'consumer'> {
    return {
      producer: () => this.#producer(),
      admin: () => this.#admin(),
      consumer: ({ groupId }: { groupId: string }) => new MemoryConsumer(this, groupId),
    } as unknown as Pick<Kafka, 'producer' | 'admin' | 'consumer'>;
  }

  append(topic: string, messages: readonly Message[]): void {
    const log = this.topics.get(topic);
    if (!log) throw Object.assign(new Error(`UNKNOWN_TOPIC_OR_PARTITION ${topic}`), { retriable: true });
    for (const m of messages) {
      const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]));
      log.push({ key: String(m.key ?? ''), value: Buffer.from(String(m.value ?? '')), headers });
    }
  }

  /** The member that consumes `topic` for its group: the first running one subscribed to it. */
  owner(groupId: string, topic: string): MemoryConsumer | undefined {
    return this.members.find((m) => m.groupId === groupId && m.running && m.topics.includes(topic));
  }

  #producer() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async ({ topic, messages }: { topic: string; messages: Message[] }) => this.append(topic, messages),
      sendBatch: async ({ topicMessages }: { topicMessages: { topic: string; messages: Message[] }[] }) => {
        for (const { topic } of topicMessages) if (!this.topics.has(topic)) this.append(topic, []);
        for (const { topic, messages } of topicMessages) this.append(topic, messages);
      },
    };
  }

  #admin() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => [...this.topics.keys()],
      createTopics: async ({ topics }: { topics: { topic: string }[] }) => {
        for (const { topic } of topics) if (!this.topics.has(topic)) this.topics.set(topic, []);
        return true;
      },
      fetchTopicOffsets: async (topic: string) => [
        {
          partition: 0,
          offset: String(this.topics.get(topic)?.length ?? 0),
          high: String(this.topics.get(topic)?.length ?? 0),
          low: '0',
        },
      ],
      fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) =>
        topics.map((topic) => ({
          topic,
          partitions: [{ partition: 0, offset: String(this.committed.get(groupId)?.get(topic) ?? -1) }],
        })),
    };
  }
}

class MemoryConsumer {
  topics: string[] = [];
  running = false;
  #loops: Promise<void>[] = [];
  #stopping = false;
  #each: ((payload: EachMessagePayload) => Promise<void>) | undefined;

  constructor(
    private readonly broker: MemoryKafka,
    readonly groupId: string,
  ) {}

  async connect(): Promise<void> {
    this.broker.members.push(this);
  }

  async subscribe({ topics }: { topics: string[] }): Promise<void> {
    if (this.running) throw new Error('Cannot subscribe to topic while consumer is running');
    this.topics = [...topics];
  }

  async run({ eachMessage }: { eachMessage: (payload: EachMessagePayload) => Promise<void> }): Promise<void> {
    this.#each = eachMessage;
    this.running = true;
    this.#loops = this.topics.map((topic) => this.#consume(topic));
  }

  async commitOffsets(offsets: { topic: string; offset: string }[]): Promise<void> {
    let group = this.broker.committed.get(this.groupId);
    if (!group) this.broker.committed.set(this.groupId, (group = new Map()));
    for (const { topic, offset } of offsets) group.set(topic, Number(offset));
  }

  /** Like a rebalance: the partitions move only after the in-flight messages finished. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#loops);
    this.running = false;
    this.#stopping = false;
  }

  async disconnect(): Promise<void> {
    await this.stop();
    this.broker.members.splice(this.broker.members.indexOf(this), 1);
  }

  /** Like kafkajs: sequential within the partition, position kept in memory, resumed from the commit. */
  async #consume(topic: string): Promise<void> {
    let position: number | undefined;
    while (this.running && !this.#stopping) {
      if (this.broker.owner(this.groupId, topic) !== this) {
        position = undefined;
        await pause(10);
        continue;
      }
      const lock = `${this.groupId}\u0000${topic}`;
      if (this.broker.busy.has(lock)) {
        await pause(2);
        continue;
      }
      position ??= Math.max(0, this.broker.committed.get(this.groupId)?.get(topic) ?? 0);
      const stored = this.broker.topics.get(topic)?.[position];
      if (!stored) {
        await pause(5);
        continue;
      }
      this.broker.busy.add(lock);
      try {
        await this.#each!({
          topic,
          partition: 0,
          message: {
            offset: String(position),
            key: Buffer.from(stored.key),
            value: stored.value,
            headers: stored.headers,
          } as never,
          heartbeat: async () => undefined,
          pause: () => () => undefined,
        });
      } finally {
        this.broker.busy.delete(lock);
      }
      position += 1;
    }
  }
}
