import { randomUUID } from 'node:crypto';
import { invalidArgument } from '../../../domain/errors.js';
import type { NewOutboxEvent, OutboxEvent } from '../../../domain/catalog/outbox-event.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { EventFilter, EventRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, num, one, optIso, optString, type TenantContext } from './rows.js';

export function outboxEventFromRow(row: SqlRow): OutboxEvent {
  return compact({
    id: String(row['id']),
    seq: num(row['seq']),
    eventId: String(row['event_id']),
    eventType: String(row['type']),
    tenantId: String(row['tenant_id']),
    correlationId: optString(row['correlation_id']),
    productId: optString(row['product_id']),
    timestamp: iso(row['occurred_at']),
    payload: row['payload'] as JsonObject,
    createdAt: iso(row['created_at']),
    publishedAt: optIso(row['published_at']),
    topic: optString(row['topic']),
    partitionKey: optString(row['partition_key']),
    logSeq: row['log_seq'] === null || row['log_seq'] === undefined ? undefined : num(row['log_seq']),
    targetGroup: optString(row['target_group']),
  });
}

/** The outbox, tenant side: append (in the caller's transaction) and read. Publishing is the relay's (admin path). */
export class PostgresEventRepository implements EventRepository {
  constructor(private readonly ctx: TenantContext) {}

  async append(input: NewOutboxEvent): Promise<OutboxEvent> {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(input.eventType)) {
      throw invalidArgument('invalid_event_type', `Event type "${input.eventType}" is invalid.`);
    }
    if (input.productId !== undefined) assertId(input.productId, 'productId');
    const eventId = input.eventId ?? `evt-${randomUUID()}`;
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO events (tenant_id, event_id, type, correlation_id, product_id, payload, occurred_at, topic, partition_key, target_group)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, COALESCE($7::timestamptz, now()), $8, $9, $10) RETURNING *`,
          [
            this.ctx.tenantId,
            eventId,
            input.eventType,
            input.correlationId ?? null,
            input.productId ?? null,
            json(input.payload),
            input.timestamp ?? null,
            input.topic ?? null,
            input.partitionKey ?? null,
            input.targetGroup ?? null,
          ],
        )
        .catch(conflictOn({ events_event_id_key: ['event_exists', `An event with id ${eventId} already exists.`] }));
      return outboxEventFromRow(rows[0]!);
    });
  }

  async get(eventId: string): Promise<OutboxEvent | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query(
            'SELECT * FROM events WHERE tenant_id = $1 AND event_id = $2 ORDER BY (target_group IS NULL) DESC, seq LIMIT 1',
            [this.ctx.tenantId, eventId],
          )
        ).rows,
        outboxEventFromRow,
      ),
    );
  }

  async list(page?: PageRequest, filter: EventFilter = {}): Promise<Page<OutboxEvent>> {
    if (filter.productId !== undefined) assertId(filter.productId, 'productId');
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    if (filter.eventType !== undefined) where.push(`type = $${params.push(filter.eventType)}`);
    if (filter.correlationId !== undefined) where.push(`correlation_id = $${params.push(filter.correlationId)}`);
    if (filter.productId !== undefined) where.push(`product_id = $${params.push(filter.productId)}`);
    return this.ctx.run((sql) => pagedSelect(sql, page, { from: 'events', where, params, map: outboxEventFromRow }));
  }
}
