import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventBus } from '../../platform-core/src/adapters/postgres/events/postgres-event-bus.js';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { PostgresCorrelationStore } from '../../platform-core/src/adapters/postgres/orchestration/postgres-correlation-store.js';
import { SystemClock } from '../../platform-core/src/adapters/system/system-clock.js';
import { CorrelationEngine } from '../../platform-core/src/application/orchestration/correlation-engine.js';
import { CorrelationSensors } from '../../platform-core/src/application/orchestration/correlation-sensors.js';
import { openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { silentLogger } from './support/step-functions.js';
import { waitFor } from './support/harness.js';

// The subscription wired end to end: DataAvailable published to the outbox → relay → the product's
// sensor group ({tenant}.{product}.sensor) → correlation → a ready execution.
let t: TestCatalog;
let tenantId: string;
let bus: PostgresEventBus;
let sensors: CorrelationSensors;
const p: Record<string, SeededProduct> = {};

beforeAll(async () => {
  t = await openPostgresCatalog('sensors');
  tenantId = await activeTenant(t.catalog, 'sensor-shop');
  p['orders'] = await deployProduct(t.catalog, tenantId, 'orders');
  p['payments'] = await deployProduct(t.catalog, tenantId, 'payments');
  const inputs = ['orders', 'payments'].map((id) => ({
    id,
    type: 'data_product',
    partition_mapping: 'same_day',
    timeout: '1h',
    fallback: 'fail',
  }));
  p['daily-revenue'] = await deployProduct(t.catalog, tenantId, 'daily-revenue', { inputs: { inputs } });
  bus = new PostgresEventBus({
    db: t.db,
    catalog: t.catalog,
    logger: silentLogger,
    retry: { initialDelayMs: 10, maxDelayMs: 50 },
  });
  await bus.start();
  const clock = new SystemClock();
  const engine = new CorrelationEngine({
    store: new PostgresCorrelationStore(t.db),
    queue: new PostgresExecutionQueue(t.db),
    clock,
    logger: silentLogger,
  });
  sensors = new CorrelationSensors({ bus, catalog: t.catalog, engine, clock, logger: silentLogger });
});
afterAll(async () => {
  await sensors?.close();
  await bus?.close();
  await t?.cleanup();
});

const publish = (product: string, windowId: string) =>
  t.catalog.transaction(tenantId, (tx) =>
    bus.publish(tx, {
      eventType: 'DataAvailable',
      product,
      productId: p[product]!.productId,
      payload: {
        product_id: p[product]!.productId,
        product_name: product,
        snapshot_id: randomUUID(),
        freshness: new Date().toISOString(),
        window_id: windowId,
      },
    }),
  );

describe('correlation sensors on the PostgreSQL event bus', () => {
  it('subscribes one sensor group per event-scheduled product and runs it when its inputs arrive', async () => {
    expect(await sensors.sync()).toEqual(['sensor-shop.daily-revenue.sensor']);
    await publish('orders', '2026-11-23');
    await publish('payments', '2026-11-22');
    await publish('payments', '2026-11-23');
    const runs = () => t.catalog.forTenant(tenantId).executions.list({}, { productId: p['daily-revenue']!.productId });
    await waitFor(async () => (await runs()).items.length === 1, 15_000, 'the triggered execution');
    expect((await runs()).items[0]).toMatchObject({ windowId: '2026-11-23', trigger: 'event', state: 'ready' });
    const open = await t.db.admin.transaction(
      async (sql) => (await sql.query(`SELECT window_id, state FROM correlations ORDER BY window_id`)).rows,
    );
    expect(open).toEqual([
      { window_id: '2026-11-22', state: 'open' },
      { window_id: '2026-11-23', state: 'triggered' },
    ]);
  });
});
