import { invalidArgument } from '../../../domain/errors.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { pruneInBatches, type Pruned } from './prune-in-batches.js';
import type { ConsumedEventsRetention } from './consumed-events-retention.js';

const DAY_MS = 86_400_000;

/** How long the outbox (`events`) keeps rows every reader is done with, and how they go (docs/adr/0017). */
export interface EventLogRetention {
  /** Rows older than this may go (default 30 days, or the consumed retention if longer; never less than it). */
  readonly retentionMs: number;
  /** Rows deleted per transaction (default 1,000). */
  readonly batchSize: number;
  /** Rows deleted per sweep at most, all tenants together (default 50,000): the rest waits for the next. */
  readonly maxRowsPerSweep: number;
}

export const DEFAULT_EVENT_LOG_RETENTION_MS = 30 * DAY_MS;

/**
 * The log retention settings with defaults, checked against the consumed-events retention: the
 * outbox must refuse a duplicate publish for at least as long as a group's de-duplication mark
 * would skip it (docs/adr/0017, "Invariant"). Without a retention, the default is 30 days or the
 * consumed retention when that is longer.
 */
export function eventLogRetention(
  settings: Partial<EventLogRetention> = {},
  consumed: Pick<ConsumedEventsRetention, 'retentionMs'>,
  where = 'event bus options',
): EventLogRetention {
  const merged: EventLogRetention = {
    retentionMs: Math.max(DEFAULT_EVENT_LOG_RETENTION_MS, consumed.retentionMs),
    batchSize: 1_000,
    maxRowsPerSweep: 50_000,
    ...settings,
  };
  const check = (name: keyof EventLogRetention, min: number, hint: string) => {
    const value = merged[name];
    if (!Number.isSafeInteger(value) || value < min) {
      throw invalidArgument(
        'invalid_event_retention',
        `${where}: logRetention.${name} is ${String(value)}; it must be a whole number ≥ ${min} (${hint}).`,
        { details: { field: `logRetention.${name}`, value: String(value), min } },
      );
    }
  };
  check(
    'retentionMs',
    consumed.retentionMs,
    'milliseconds; at least the consumed-events retention (consumedRetention.retentionMs), so that the log refuses a duplicate publish for as long as a group would skip it',
  );
  check('batchSize', 1, 'rows per transaction');
  check('maxRowsPerSweep', 1, 'rows per sweep');
  return merged;
}

export type EventLogPruned = Pruned;

/**
 * Which rows a bus may prune: `log` (the PostgreSQL log: relayed, audited, at or below the
 * watermark of every group of the tenant, not the tenant's newest row) or `relay-buffer` (Kafka:
 * delivered and audited; a row that has a log position keeps the log's rule). Both only rows older
 * than the retention.
 */
export type EventLogMode = 'log' | 'relay-buffer';

const AUDITED = `EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = e.tenant_id AND a.event_id = e.event_id)`;
const OLD = `e.created_at < now() - $2::bigint * interval '1 millisecond'`;

/** On the PostgreSQL log: at or below every group's watermark of the tenant, and not its newest row. */
const DONE_IN_LOG = `e.log_seq <= (SELECT min(o.position) FROM consumer_offsets o
                                WHERE o.tenant_id = $1 AND o.topic = '' AND o.partition_key = '')
           AND e.log_seq < (SELECT max(h.log_seq) FROM events h WHERE h.tenant_id = $1 AND h.log_seq IS NOT NULL)`;

const CANDIDATES: Record<EventLogMode, string> = {
  log: `SELECT e.id FROM events e
         WHERE e.tenant_id = $1 AND e.log_seq IS NOT NULL AND ${DONE_IN_LOG} AND ${OLD} AND ${AUDITED}
         ORDER BY e.log_seq LIMIT $3`,
  // Rows a PostgreSQL log gave positions to (before a switch to Kafka) keep the log's rule.
  'relay-buffer': `SELECT e.id FROM events e
         WHERE e.tenant_id = $1 AND e.published_at IS NOT NULL AND ${OLD} AND ${AUDITED}
           AND (e.log_seq IS NULL OR (${DONE_IN_LOG}))
         ORDER BY e.seq LIMIT $3`,
};

/**
 * Deletes the outbox rows every reader is done with (docs/adr/0017), tenant by tenant as the
 * tenant (RLS; a restrictive policy of migration 012 re-checks all but the age), oldest first,
 * `batchSize` rows per short transaction and at most `maxRowsPerSweep` in all. A watermark only
 * grows and an audit row is never deleted, so the conditions, read in the DELETE's own
 * transaction, cannot turn false before it commits; any number of sweepers may run at once.
 * Only the tenant list is read on the admin path; `only` limits the sweep to these tenants.
 */
export async function pruneEventLog(
  db: SqlDatabase,
  retention: EventLogRetention,
  mode: EventLogMode,
  signal?: AbortSignal,
  only?: readonly string[],
): Promise<EventLogPruned> {
  return pruneInBatches(
    db,
    retention,
    'event log pruning',
    async (sql, tenantId, budget) =>
      (
        await sql.query(`DELETE FROM events WHERE id IN (${CANDIDATES[mode]})`, [
          tenantId,
          String(retention.retentionMs),
          budget,
        ])
      ).rowCount,
    signal,
    only,
  );
}
