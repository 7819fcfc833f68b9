import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../../catalog/support/test-databases.js';
import { PostgresEventBus } from '../../../platform-core/src/adapters/postgres/events/postgres-event-bus.js';
import { KafkaEventBus } from '../../../platform-core/src/adapters/kafka/kafka-event-bus.js';
import { FAST_RETRY, type EventHarness, type RawMessage } from './event-harness.js';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import type { EventBus } from '../../../platform-core/src/ports/event-bus.js';
import type { Logger } from '../../../platform-core/src/ports/logger.js';
import type { MemoryKafka } from './memory-kafka.js';

/** HEKIMA_TEST_DEBUG=1 prints the buses' logs to stderr. */
const debugLogger: Logger | undefined = process.env['HEKIMA_TEST_DEBUG']
  ? (() => {
      const log =
        (level: string) =>
        (message: string, meta?: object): void =>
          void process.stderr.write(`[${level}] ${message} ${meta ? JSON.stringify(meta) : ''}\n`);
      const logger: Logger = {
        debug: log('debug'),
        info: log('info'),
        warn: log('warn'),
        error: log('error'),
        child: () => logger,
      };
      return logger;
    })()
  : undefined;

/** The PostgreSQL log: raw messages are outbox rows the publisher did not validate. */
function postgresLogHarness(name: string, t: TestCatalog): EventHarness {
  const buses: EventBus[] = [];
  return {
    name,
    db: t.db,
    catalog: t.catalog,
    rawTextUnsupported: 'the PostgreSQL log stores envelopes as rows (jsonb): non-JSON bytes cannot be written to it',
    async newBus(options = {}) {
      const bus = new PostgresEventBus({
        db: t.db,
        catalog: t.catalog,
        pollMs: 50,
        leaseMs: 3_000,
        ...(debugLogger ? { logger: debugLogger } : {}),
        retry: { ...FAST_RETRY, ...options.retry },
      });
      buses.push(bus);
      await bus.start();
      return bus;
    },
    async injectRaw(tenant: Tenant, topic: string, message: RawMessage) {
      if (message.kind === 'text') throw new Error('unsupported');
      await t.db.withTenant(tenant.id, (sql) =>
        sql.query(
          `INSERT INTO events (tenant_id, event_id, type, payload, topic, partition_key) VALUES ($1, $2, $3, $4::jsonb, $5, $5)`,
          [tenant.id, message.eventId, message.eventType, JSON.stringify(message.payload), topic],
        ),
      );
    },
    async cleanup() {
      await Promise.allSettled(buses.map((b) => b.close()));
      await t.cleanup();
    },
  };
}

export async function openPgliteHarness(): Promise<EventHarness> {
  return postgresLogHarness('PostgreSQL log on PGlite', await openPgliteCatalog());
}

export async function openPostgresHarness(label: string): Promise<EventHarness> {
  return postgresLogHarness('PostgreSQL log on a server', await openPostgresCatalog(label));
}

/**
 * Kafka for transport; the outbox, DLQ and de-duplication marks in a PostgreSQL schema of its own.
 * `memory` swaps the broker for the in-memory double (the adapter's logic, not kafkajs's protocol).
 */
export async function openKafkaHarness(brokers: readonly string[], memory?: MemoryKafka): Promise<EventHarness> {
  const t = await openPostgresCatalog(memory ? 'kafkamem' : 'kafka');
  const client = memory ? { kafka: memory.client() } : {};
  const clientId = `hekima-test-${t.db.schema}`;
  const buses: KafkaEventBus[] = [];
  const raw = new KafkaEventBus({ brokers, clientId, db: t.db, catalog: t.catalog, ...client });
  return {
    name: memory ? 'Kafka adapter on an in-memory broker double' : 'Kafka',
    db: t.db,
    catalog: t.catalog,
    async newBus(options = {}) {
      const bus = new KafkaEventBus({
        brokers,
        clientId,
        db: t.db,
        catalog: t.catalog,
        pollMs: 50,
        retry: { ...FAST_RETRY, ...options.retry },
        ...client,
        ...(debugLogger ? { logger: debugLogger } : {}),
      });
      buses.push(bus);
      await bus.start();
      return bus;
    },
    async injectRaw(tenant: Tenant, topic: string, message: RawMessage) {
      const value =
        message.kind === 'text'
          ? message.text
          : JSON.stringify({
              event_id: message.eventId,
              event_type: message.eventType,
              tenant_id: tenant.id,
              correlation_id: message.eventId,
              timestamp: new Date().toISOString(),
              payload: message.payload,
            });
      await raw.sendRaw(topic, topic, value);
    },
    async cleanup() {
      await Promise.allSettled([...buses, raw].map((b) => b.close()));
      await t.cleanup();
    },
  };
}
