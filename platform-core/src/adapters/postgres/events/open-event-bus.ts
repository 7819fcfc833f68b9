import { invalidState } from '../../../domain/errors.js';
import type { RetryPolicy } from '../../../domain/events/retry-policy.js';
import type { Catalog } from '../../../ports/catalog.js';
import type { EventBus } from '../../../ports/event-bus.js';
import type { Logger } from '../../../ports/logger.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import type { ConsumedEventsRetention } from './consumed-events-retention.js';
import type { EventLogRetention } from './event-log-retention.js';
import { PostgresEventBus } from './postgres-event-bus.js';

export interface OpenEventBusOptions {
  /** Kafka / Redpanda brokers (server mode); absent → the PostgreSQL log in the catalog database. */
  readonly kafkaBrokers?: readonly string[];
  readonly logger?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** How long consumer groups' de-duplication marks are kept (default 7 days); older ones are pruned. */
  readonly consumedRetention?: Partial<ConsumedEventsRetention>;
  /** How long the outbox keeps rows every reader is done with (default 30 days, ≥ the consumed retention; ADR 0017). */
  readonly logRetention?: Partial<EventLogRetention>;
}

/** The event bus over the SQL catalog's own database: Kafka when brokers are configured, else the PostgreSQL log. */
export async function openEventBus(catalog: Catalog, options: OpenEventBusOptions = {}): Promise<EventBus> {
  const db = (catalog as { readonly db?: SqlDatabase }).db;
  if (!db || typeof db.withTenant !== 'function') {
    throw invalidState('events_need_sql_catalog', 'The event bus needs the SQL catalog (PGlite or PostgreSQL).');
  }
  const common = {
    db,
    catalog,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.consumedRetention ? { consumedRetention: options.consumedRetention } : {}),
    ...(options.logRetention ? { logRetention: options.logRetention } : {}),
  };
  if (options.kafkaBrokers && options.kafkaBrokers.length > 0) {
    const { KafkaEventBus } = await import('../../kafka/kafka-event-bus.js');
    return new KafkaEventBus({ ...common, brokers: options.kafkaBrokers });
  }
  return new PostgresEventBus(common);
}
