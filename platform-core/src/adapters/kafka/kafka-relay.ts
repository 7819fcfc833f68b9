import type { Admin, Producer } from 'kafkajs';
import type { SqlRow } from '../../ports/sql-database.js';
import type { SqlDatabase } from '../../ports/sql-database.js';
import type { Logger } from '../../ports/logger.js';
import type { ErrorJSON } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import type { Catalog } from '../../ports/catalog.js';
import { envelopeOfRow, routeOf } from '../postgres/events/log-relay.js';
import { TARGET_GROUP_HEADER } from './kafka-headers.js';

export interface KafkaRelayOptions {
  readonly db: SqlDatabase;
  readonly producer: Producer;
  readonly admin: Admin;
  readonly logger: Logger;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Called with topics this relay just created (the bus re-subscribes its 'all' subscriptions). */
  readonly onNewTopics?: (topics: readonly string[]) => void;
}

/**
 * One pass of the outbox → Kafka relay (admin path): committed, unpublished rows in insertion
 * order, one relay at a time (advisory lock, so one product's events reach its partition in
 * order), sent with the idempotent producer, then marked published in the same transaction. A
 * crash between the send and the commit sends them again: consumers de-duplicate by event_id.
 */
export class KafkaRelay {
  readonly #knownTopics = new Set<string>();

  constructor(private readonly o: KafkaRelayOptions) {}

  async pass(batchSize: number, signal?: AbortSignal): Promise<number> {
    const created: string[] = [];
    const moved = await this.o.db.admin.transaction(async (sql) => {
      await sql.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.hekima_kafka_relay'))`);
      const { rows } = await sql.query(
        `SELECT e.*, t.slug, p.name AS product_name
           FROM events e JOIN tenants t ON t.id = e.tenant_id
           LEFT JOIN products p ON p.tenant_id = e.tenant_id AND p.id = e.product_id
          WHERE e.published_at IS NULL ORDER BY e.seq LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      const ids: string[] = [];
      const topics: string[] = [];
      const keys: string[] = [];
      for (const row of rows) {
        const route = routeOf(row);
        const value = JSON.stringify(envelopeOfRow(row));
        const target = row['target_group'];
        const list = byTopic.get(route.topic) ?? [];
        list.push({
          key: route.partitionKey,
          value,
          headers: typeof target === 'string' ? { [TARGET_GROUP_HEADER]: target } : {},
        });
        byTopic.set(route.topic, list);
        ids.push(String(row['id']));
        topics.push(route.topic);
        keys.push(route.partitionKey);
      }
      created.push(...(await this.#createTopics([...byTopic.keys()])));
      await this.o.producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await sql.query(
        `UPDATE events e SET published_at = now(), topic = v.topic, partition_key = v.key
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, topic, key) WHERE e.id = v.id`,
        [ids, topics, keys],
      );
      return rows.length;
    }, signal);
    // Outside the transaction: subscriptions restart consumers, which must not inherit its context.
    if (created.length > 0) this.o.onNewTopics?.(created);
    return moved;
  }

  /** Creates missing topics (partitions by product key; replication from the options). */
  async ensureTopics(topics: readonly string[]): Promise<void> {
    const created = await this.#createTopics(topics);
    if (created.length > 0) this.o.onNewTopics?.(created);
  }

  async #createTopics(topics: readonly string[]): Promise<string[]> {
    const missing = topics.filter((t) => !this.#knownTopics.has(t));
    if (missing.length === 0) return [];
    await this.o.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.o.numPartitions,
        replicationFactor: this.o.replicationFactor,
      })),
    });
    for (const t of missing) this.#knownTopics.add(t);
    return missing;
  }

  /**
   * Takes the oldest unpublished row out of the relay's way: a DLQ entry (stage `event_publish`,
   * the event and the error) for its tenant, then the row is marked published. Used only after
   * Kafka refused that very message with a non-retriable error. Returns its event id.
   */
  async parkOldest(catalog: Catalog, error: ErrorJSON): Promise<string | undefined> {
    const row: SqlRow | undefined = await this.o.db.admin.transaction(
      async (sql) =>
        (
          await sql.query(
            `SELECT e.*, t.slug, p.name AS product_name
               FROM events e JOIN tenants t ON t.id = e.tenant_id
               LEFT JOIN products p ON p.tenant_id = e.tenant_id AND p.id = e.product_id
              WHERE e.published_at IS NULL ORDER BY e.seq LIMIT 1`,
          )
        ).rows[0],
    );
    if (!row) return undefined;
    const route = routeOf(row);
    const eventId = String(row['event_id']);
    await catalog.transaction(String(row['tenant_id']), (tx) =>
      tx.dlq.add({
        stage: 'event_publish',
        event: envelopeOfRow(row) as JsonValue,
        error,
        attempts: 1,
        eventId,
        correlationId: String(row['correlation_id'] ?? eventId),
        topic: route.topic,
        partitionKey: route.partitionKey,
      }),
    );
    await this.o.db.admin.transaction((sql) =>
      sql.query(
        `UPDATE events SET published_at = now(), topic = $2, partition_key = $3 WHERE id = $1 AND published_at IS NULL`,
        [String(row['id']), route.topic, route.partitionKey],
      ),
    );
    this.o.logger.error('event parked in the DLQ: Kafka refused it', { eventId, code: error.code });
    return eventId;
  }
}
