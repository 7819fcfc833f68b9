import { invalidState } from '../../../domain/errors.js';
import type { Catalog } from '../../../ports/catalog.js';
import type { CorrelationStore } from '../../../ports/correlation-store.js';
import type { ExecutionQueue, WorkerRegistry } from '../../../ports/execution-queue.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { PostgresCorrelationStore } from '../orchestration/postgres-correlation-store.js';
import { PostgresExecutionQueue } from './postgres-execution-queue.js';
import { PostgresWorkerRegistry } from './postgres-worker-registry.js';

/** The execution queue, worker registry and correlation store over the catalog's own database. */
export function executionBackbone(catalog: Catalog): {
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
    queue: new PostgresExecutionQueue(db),
    workers: new PostgresWorkerRegistry(db),
    correlations: new PostgresCorrelationStore(db),
  };
}
