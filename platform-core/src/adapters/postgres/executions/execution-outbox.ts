import type { EventPayload } from '../../../domain/events/domain-event.js';
import type { EXECUTION_EVENT_TYPES } from '../../../domain/events/event-types.js';
import type { JsonObject } from '../../../domain/json.js';
import type { ErrorJSON } from '../../../domain/errors.js';
import { maskQuotedValues } from '../../../domain/execution/quoted-values.js';
import type { TenantCatalog } from '../../../ports/catalog.js';
import type { EventToPublish } from '../../../ports/event-bus.js';
import type { SqlExecutor, SqlRow } from '../../../ports/sql-database.js';

/**
 * Announces execution lifecycle changes through the transactional outbox, inside the transaction
 * that makes the change (docs/adr/0009): `running` (every claim) → ExecutionStarted, `succeeded` →
 * ExecutionCompleted, `failed` → ExecutionFailed. Other states (ready for a retry, skipped,
 * cancelled) have no event type in the schemas and are not announced. The correlation id is the
 * execution's (its own id when it has none); the partition key is the product name.
 */
type ExecutionEventType = (typeof EXECUTION_EVENT_TYPES)[number];

export type ExecutionOutbox = ((sql: SqlExecutor, execution: SqlRow) => Promise<void>) & {
  /** The tenant catalog bound to the state change's transaction (for work done with it). */
  readonly within?: (tenantId: string, sql: SqlExecutor) => TenantCatalog;
};

/** What the outbox needs: a tenant catalog bound to an open transaction, and `EventBus.publish`. */
export interface ExecutionOutboxDeps {
  readonly within: (tenantId: string, sql: SqlExecutor) => TenantCatalog;
  readonly publish: (tx: TenantCatalog, event: EventToPublish) => Promise<unknown>;
}

export function executionOutbox(deps: ExecutionOutboxDeps): ExecutionOutbox {
  const announce = async (sql: SqlExecutor, row: SqlRow): Promise<void> => {
    const announced = await eventOf(sql, row);
    if (!announced) return;
    const tenantId = String(row['tenant_id']);
    const productId = String(row['product_id']);
    const product = await sql.query('SELECT name FROM products WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      productId,
    ]);
    const id = String(row['id']);
    await deps.publish(deps.within(tenantId, sql), {
      eventType: announced.type,
      payload: announced.payload,
      product: String(product.rows[0]?.['name'] ?? productId),
      productId,
      correlationId: typeof row['correlation_id'] === 'string' ? row['correlation_id'] : id,
    } as EventToPublish);
  };
  return Object.assign(announce, { within: deps.within });
}

async function eventOf(
  sql: SqlExecutor,
  row: SqlRow,
): Promise<{ type: ExecutionEventType; payload: EventPayload<ExecutionEventType> } | undefined> {
  const executionId = String(row['id']);
  const productId = String(row['product_id']);
  switch (row['state']) {
    case 'running':
      return {
        type: 'ExecutionStarted',
        payload: { execution_id: executionId, product_id: productId, partition_key: String(row['window_id'] ?? '') },
      };
    case 'succeeded': {
      // The rows written: those of the snapshot the execution committed; an execution of steps
      // that commits none counts what its steps report.
      const { rows } = await sql.query(
        `SELECT COALESCE(
           (SELECT row_count FROM snapshots WHERE tenant_id = $1 AND execution_id = $2
              AND state IN ('committed', 'promoted') ORDER BY committed_at DESC LIMIT 1),
           (SELECT sum(COALESCE((output->>'row_count')::numeric, (output->>'rowCount')::numeric, 0))
              FROM execution_steps WHERE tenant_id = $1 AND execution_id = $2 AND state = 'succeeded'),
           0) AS n`,
        [String(row['tenant_id']), executionId],
      );
      const started = row['started_at'] ? new Date(row['started_at'] as string | Date).getTime() : NaN;
      const finished = row['finished_at'] ? new Date(row['finished_at'] as string | Date).getTime() : NaN;
      return {
        type: 'ExecutionCompleted',
        payload: {
          execution_id: executionId,
          product_id: productId,
          duration_ms: Number.isFinite(finished - started) ? Math.max(0, Math.round(finished - started)) : 0,
          row_count: Math.max(0, Math.round(Number(rows[0]?.['n'] ?? 0))),
        },
      };
    }
    case 'failed': {
      const stored = (row['error'] ?? null) as JsonObject | null;
      // Events travel further than the data (the audit trail, other consumers): the values an
      // engine or connector error quotes are masked here for everyone (fail closed).
      const error = stored
        ? (maskQuotedValues(stored as unknown as ErrorJSON, false).error as unknown as JsonObject)
        : null;
      return {
        type: 'ExecutionFailed',
        payload: {
          execution_id: executionId,
          product_id: productId,
          error: {
            code: typeof error?.['code'] === 'string' ? error['code'] : 'execution_failed',
            message: typeof error?.['message'] === 'string' ? error['message'] : String(row['state_reason'] ?? ''),
          },
          retry_count: Math.max(0, Number(row['attempt'] ?? 1) - 1),
        },
      };
    }
    default:
      return undefined;
  }
}
