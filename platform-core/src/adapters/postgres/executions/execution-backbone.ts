import { invalidState } from '../../../domain/errors.js';
import type { Catalog } from '../../../ports/catalog.js';
import type { CorrelationStore } from '../../../ports/correlation-store.js';
import type { ExecutionQueue, WorkerRegistry } from '../../../ports/execution-queue.js';
import type { EventBus } from '../../../ports/event-bus.js';
import type { SqlDatabase, SqlExecutor } from '../../../ports/sql-database.js';
import { OutboxPublisher } from '../events/outbox-publisher.js';
import { executionOutbox, type ExecutionOutbox } from './execution-outbox.js';
import { PostgresCorrelationStore } from '../orchestration/postgres-correlation-store.js';
import { PostgresExecutionQueue } from './postgres-execution-queue.js';
import { PostgresWorkerRegistry } from './postgres-worker-registry.js';

export interface ExecutionBackboneOptions {
  /**
   * How lifecycle events reach the outbox (default: the outbox publisher every EventBus adapter
   * shares; pass the bus to have its `publish` nudge its relay).
   */
  readonly events?: Pick<EventBus, 'publish'>;
}

/**
 * The execution queue, worker registry and correlation store over the catalog's own database.
 * Execution lifecycle events (ExecutionStarted/Completed/Failed) are written to the outbox in the
 * transaction of each state change.
 */
export function executionBackbone(
  catalog: Catalog,
  options: ExecutionBackboneOptions = {},
): {
  readonly db: SqlDatabase;
  readonly queue: ExecutionQueue;
  readonly workers: WorkerRegistry;
  readonly correlations: CorrelationStore;
} {
  const db = (catalog as { readonly db?: SqlDatabase }).db;
  if (!db || typeof db.withTenant !== 'function') {
    throw invalidState(
      'executions_need_sql_catalog',
      'Durable executions need the SQL catalog (PGlite or PostgreSQL).',
    );
  }
  return {
    db,
    queue: new PostgresExecutionQueue(db, lifecycleOutbox(catalog, options)),
    workers: new PostgresWorkerRegistry(db),
    correlations: new PostgresCorrelationStore(db),
  };
}

function lifecycleOutbox(catalog: Catalog, options: ExecutionBackboneOptions): ExecutionOutbox | undefined {
  const within = (catalog as { within?: (tenantId: string, sql: SqlExecutor) => ReturnType<Catalog['forTenant']> })
    .within;
  if (typeof within !== 'function') return undefined;
  const publisher = options.events ?? new OutboxPublisher(catalog);
  return executionOutbox({
    within: (tenantId, sql) => within.call(catalog, tenantId, sql),
    publish: (tx, event) => publisher.publish(tx, event),
  });
}
