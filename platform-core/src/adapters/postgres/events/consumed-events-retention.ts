import { invalidArgument } from '../../../domain/errors.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { pruneInBatches, type Pruned } from './prune-in-batches.js';

const HOUR_MS = 3_600_000;

/** How long the de-duplication marks of consumer groups (`consumed_events`) are kept, and how they go. */
export interface ConsumedEventsRetention {
  /** Marks older than this are deleted (default 7 days; at least 1 hour). */
  readonly retentionMs: number;
  /** Rows deleted per transaction (default 1,000). */
  readonly batchSize: number;
  /** Rows deleted per sweep at most, all tenants together (default 50,000): the rest waits for the next. */
  readonly maxRowsPerSweep: number;
  /** How often a running relay sweeps (default 10 minutes; the first sweep runs at start). */
  readonly sweepEveryMs: number;
}

export const DEFAULT_CONSUMED_EVENTS_RETENTION: ConsumedEventsRetention = {
  retentionMs: 7 * 24 * HOUR_MS,
  batchSize: 1_000,
  maxRowsPerSweep: 50_000,
  sweepEveryMs: 10 * 60_000,
};

/**
 * The retention settings with defaults, checked. The floor of one hour keeps what idempotency
 * needs: a redelivery (a restart from the group's watermark, a Kafka resend after a crash) comes
 * within seconds or minutes, and a group still skips an event it handled while the mark is kept.
 */
export function consumedEventsRetention(
  settings: Partial<ConsumedEventsRetention> = {},
  where = 'event bus options',
): ConsumedEventsRetention {
  const merged = { ...DEFAULT_CONSUMED_EVENTS_RETENTION, ...settings };
  const check = (name: keyof ConsumedEventsRetention, min: number, hint: string) => {
    const value = merged[name];
    if (!Number.isSafeInteger(value) || value < min) {
      throw invalidArgument(
        'invalid_event_retention',
        `${where}: consumedRetention.${name} is ${String(value)}; it must be a whole number ≥ ${min} (${hint}).`,
        { details: { field: `consumedRetention.${name}`, value: String(value), min } },
      );
    }
  };
  check('retentionMs', HOUR_MS, 'milliseconds; one hour at least, so that a redelivered event is still recognised');
  check('batchSize', 1, 'rows per transaction');
  check('maxRowsPerSweep', 1, 'rows per sweep');
  check('sweepEveryMs', 1_000, 'milliseconds between sweeps');
  return merged;
}

export type ConsumedEventsPruned = Pruned;

/**
 * Deletes the de-duplication marks older than the retention, tenant by tenant (as the tenant:
 * row-level security applies), in batches of `batchSize` rows, each its own short transaction,
 * using the `(tenant_id, created_at)` index. Any number of processes may run it at once (a row
 * another sweep deletes first is waited for, then counted there; the app role has no UPDATE on the
 * table, so no `FOR UPDATE SKIP LOCKED`). Only the tenant list is read on the admin path;
 * `only` limits the sweep to these tenants.
 */
export async function pruneConsumedEvents(
  db: SqlDatabase,
  retention: Pick<ConsumedEventsRetention, 'retentionMs' | 'batchSize' | 'maxRowsPerSweep'>,
  signal?: AbortSignal,
  only?: readonly string[],
): Promise<ConsumedEventsPruned> {
  return pruneInBatches(
    db,
    retention,
    'consumed-events pruning',
    async (sql, tenantId, budget) =>
      (
        await sql.query(
          `DELETE FROM consumed_events WHERE id IN (
             SELECT id FROM consumed_events
              WHERE tenant_id = $1 AND created_at < now() - $2::bigint * interval '1 millisecond'
              ORDER BY created_at LIMIT $3)`,
          [tenantId, String(retention.retentionMs), budget],
        )
      ).rowCount,
    signal,
    only,
  );
}
