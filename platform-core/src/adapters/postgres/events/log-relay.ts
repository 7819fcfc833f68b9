import { isEventType } from '../../../domain/events/event-types.js';
import { governanceTopic, routeEvent, type Route } from '../../../domain/events/topics.js';
import type { SqlDatabase, SqlRow } from '../../../ports/sql-database.js';

export const OUTBOX_CHANNEL = 'outbox_wakeup';
export const EVENTS_CHANNEL = 'event_log_wakeup';

export interface RelayPass {
  readonly moved: number;
  /** Tenants that received events (their subscriptions are woken). */
  readonly tenants: readonly string[];
}

/**
 * One pass of the PostgreSQL relay (admin path: the outbox of every tenant): takes committed,
 * unpublished outbox rows in insertion order and gives them log positions after the current head,
 * under a transaction-scoped advisory lock so that relays (in any process) assign positions one
 * batch at a time, in commit order. A consumer reading `log_seq > offset` therefore never skips a
 * row. Notifies `event_log_wakeup` with `schema:tenant` per tenant, delivered at commit.
 */
export async function relayToLog(db: SqlDatabase, batchSize: number, signal?: AbortSignal): Promise<RelayPass> {
  return db.admin.transaction(async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.hekima_event_relay'))`);
    const { rows } = await sql.query(
      `SELECT e.id, e.tenant_id, e.type, e.topic, e.partition_key, e.payload, t.slug, p.name AS product_name
         FROM events e JOIN tenants t ON t.id = e.tenant_id
         LEFT JOIN products p ON p.tenant_id = e.tenant_id AND p.id = e.product_id
        WHERE e.published_at IS NULL ORDER BY e.seq LIMIT $1`,
      [batchSize],
    );
    if (rows.length === 0) return { moved: 0, tenants: [] };
    const head = Number(
      (await sql.query(`SELECT COALESCE(max(log_seq), 0) AS head FROM events`)).rows[0]?.['head'] ?? 0,
    );
    const ids: string[] = [];
    const positions: string[] = [];
    const topics: string[] = [];
    const keys: string[] = [];
    rows.forEach((row, i) => {
      const route = routeOf(row);
      ids.push(String(row['id']));
      positions.push(String(head + i + 1));
      topics.push(route.topic);
      keys.push(route.partitionKey);
    });
    await sql.query(
      `UPDATE events e SET log_seq = v.pos::bigint, published_at = now(), topic = v.topic, partition_key = v.key
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, pos, topic, key)
        WHERE e.id = v.id`,
      [ids, positions, topics, keys],
    );
    const tenants = [...new Set(rows.map((r) => String(r['tenant_id'])))];
    await sql.query(`SELECT pg_notify($1, $2 || ':' || t) FROM unnest($3::text[]) AS t`, [
      EVENTS_CHANNEL,
      db.schema,
      tenants,
    ]);
    return { moved: rows.length, tenants };
  }, signal);
}

/**
 * The route of an outbox row: as the publisher wrote it, or derived for a raw `events.append`
 * (the product's name from the catalog). What cannot be routed to a product topic (unknown type,
 * no product) goes to the tenant's governance topic, where a consumer parks what it cannot parse.
 */
export function routeOf(row: SqlRow): Route {
  if (typeof row['topic'] === 'string' && typeof row['partition_key'] === 'string') {
    return { topic: row['topic'], partitionKey: row['partition_key'] };
  }
  const slug = String(row['slug']);
  const type = row['type'];
  const product = typeof row['product_name'] === 'string' ? row['product_name'] : undefined;
  if (isEventType(type)) {
    try {
      const stage = (row['payload'] as Record<string, unknown> | null)?.['stage'];
      return routeEvent(slug, type, { product, stage: typeof stage === 'string' ? (stage as never) : undefined });
    } catch {
      // fall through: unroutable
    }
  }
  const topic = governanceTopic(slug);
  return { topic, partitionKey: product ?? topic };
}

/** The wire envelope of an outbox row (raw appends without a correlation id correlate to themselves). */
export function envelopeOfRow(row: SqlRow): Record<string, unknown> {
  const occurred = row['occurred_at'];
  return {
    event_id: row['event_id'],
    event_type: row['type'],
    tenant_id: row['tenant_id'],
    correlation_id: row['correlation_id'] ?? row['event_id'],
    timestamp: occurred instanceof Date ? occurred.toISOString() : occurred,
    payload: row['payload'],
  };
}
