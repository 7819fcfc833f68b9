import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform-core/src/adapters/memory/manual-clock.js';
import { PostgresExecutionQueue } from '../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { PostgresCorrelationStore } from '../../platform-core/src/adapters/postgres/orchestration/postgres-correlation-store.js';
import { CorrelationEngine } from '../../platform-core/src/application/orchestration/correlation-engine.js';
import type { DomainEvent } from '../../platform-core/src/domain/events/domain-event.js';
import type { JsonObject } from '../../platform-core/src/domain/json.js';
import { activeTenant, deployProduct, type SeededProduct } from './support/seed.js';
import { openReopenable, type Driver, type ReopenableCatalog } from './support/reopenable-catalog.js';
import { silentLogger } from './support/step-functions.js';

const MIN = 60_000;
const input = (id: string, timeout: string, fallback: string, mapping = 'same_day', extra: JsonObject = {}) => ({
  id,
  type: 'data_product',
  timeout,
  fallback,
  partition_mapping: mapping,
  ...extra,
});
const consumer = (inputs: JsonObject[], compute: JsonObject = {}) => ({
  inputs: { inputs },
  compute: { schedule: { type: 'event' }, retry: { max_attempts: 2 }, ...compute },
});

// The correlation engine on both drivers, its timeouts driven by a manual clock.
describe.each<Driver>(['pglite', 'postgres'])('correlation engine (%s)', (driver) => {
  let t: ReopenableCatalog;
  let tenantId: string;
  const clock = new ManualClock('2026-11-23T06:00:00.000Z');
  const p: Record<string, SeededProduct> = {};
  const engine = () =>
    new CorrelationEngine({
      store: new PostgresCorrelationStore(t.db),
      queue: new PostgresExecutionQueue(t.db),
      clock,
      logger: silentLogger,
    });
  let e: CorrelationEngine;

  const available = (
    product: string,
    windowId?: string,
    eventId = `evt-${randomUUID()}`,
  ): DomainEvent<'DataAvailable'> => ({
    eventId,
    eventType: 'DataAvailable',
    tenantId,
    correlationId: eventId,
    timestamp: clock.now().toISOString(),
    payload: {
      product_id: p[product]!.productId,
      product_name: product,
      snapshot_id: randomUUID(),
      freshness: clock.now().toISOString(),
      ...(windowId ? { window_id: windowId } : {}),
    },
  });
  const execution = (id: string) => t.catalog.forTenant(tenantId).executions.get(id);

  beforeAll(async () => {
    t = await openReopenable(driver, 'correlation');
    tenantId = await activeTenant(t.catalog, `corr-${driver}`);
    for (const name of [
      'orders',
      'payments',
      'clicks',
      'weather',
      'trades',
      'fx',
      'loans',
      'rates',
      'visits',
      'dims',
      'a-feed',
      'b-feed',
    ])
      p[name] = await deployProduct(t.catalog, tenantId, name, {});
    p['daily-revenue'] = await deployProduct(
      t.catalog,
      tenantId,
      'daily-revenue',
      consumer([input('orders', '1h', 'fail'), input('payments', '1h', 'fail')], {
        resources: { cpu: '2', memory: '2Gi' },
      }),
    );
    p['enriched'] = await deployProduct(
      t.catalog,
      tenantId,
      'enriched',
      consumer([input('clicks', '2h', 'fail'), input('weather', '30m', 'skip')]),
    );
    p['with-fx'] = await deployProduct(
      t.catalog,
      tenantId,
      'with-fx',
      consumer([input('trades', '2h', 'fail'), input('fx', '30m', 'use_cached')]),
    );
    p['with-rates'] = await deployProduct(
      t.catalog,
      tenantId,
      'with-rates',
      consumer([input('loans', '2h', 'fail'), input('rates', '30m', 'use_cached')]),
    );
    p['latest-mix'] = await deployProduct(
      t.catalog,
      tenantId,
      'latest-mix',
      consumer([input('visits', '1h', 'fail'), input('dims', '1h', 'fail', 'latest')]),
    );
    p['rolling'] = await deployProduct(
      t.catalog,
      tenantId,
      'rolling',
      consumer([input('a-feed', '1h', 'fail', 'latest'), input('b-feed', '1h', 'fail', 'latest')]),
    );
    await deployProduct(t.catalog, tenantId, 'manual-only', {
      ...consumer([input('orders', '1h', 'fail')]),
      compute: { schedule: { type: 'manual' } },
    });
    e = engine();
  });
  afterAll(() => t?.cleanup());

  it('two same_day inputs: runs once both published in the same day, never twice', async () => {
    expect(await e.onDataAvailable(available('orders', '2026-11-20'))).toEqual([
      { product: 'daily-revenue', windowId: '2026-11-20', state: 'open' },
    ]);
    expect(await e.onDataAvailable(available('payments', '2026-11-21'))).toEqual([
      { product: 'daily-revenue', windowId: '2026-11-21', state: 'open' },
    ]);
    const last = available('payments', '2026-11-20T23:10:00Z');
    const [done] = await e.onDataAvailable(last);
    expect(done).toMatchObject({ product: 'daily-revenue', windowId: '2026-11-20', state: 'triggered' });
    const run = await execution(done!.executionId!);
    expect(run).toMatchObject({
      state: 'ready',
      trigger: 'event',
      windowId: '2026-11-20',
      maxAttempts: 2,
      idempotencyKey: `${p['daily-revenue']!.versionId}:2026-11-20`,
      requirements: { cpu_millis: 2000, memory_bytes: 2 * 2 ** 30 },
    });
    expect(Object.keys((run!.inputs!['inputs'] as JsonObject) ?? {}).sort()).toEqual(['orders', 'payments']);
    expect(await e.onDataAvailable(last)).toEqual([{ product: 'daily-revenue', ignored: 'duplicate event' }]);
    expect(await e.onDataAvailable(available('orders', '2026-11-20'))).toEqual([
      { product: 'daily-revenue', ignored: 'window 2026-11-20 is already triggered' },
    ]);
    // No window id: the day of the event's timestamp.
    expect(await e.onDataAvailable(available('orders'))).toEqual([
      { product: 'daily-revenue', windowId: '2026-11-23', state: 'open' },
    ]);
  });

  it('fallbacks at the timeout: fail fails the run with the reason, skip proceeds without, use_cached takes the last snapshot', async () => {
    await t.db.admin.transaction((sql) =>
      sql.query(
        `INSERT INTO snapshots (tenant_id, product_id, state, window_id, location, committed_at) VALUES ($1, $2, 'committed', '2026-11-22', 'lake/fx/1', now() - interval '1 day')`,
        [tenantId, p['fx']!.productId],
      ),
    );
    await e.onDataAvailable(available('clicks', '2026-11-23'));
    await e.onDataAvailable(available('trades', '2026-11-23'));
    await e.onDataAvailable(available('loans', '2026-11-23'));
    clock.advance(29 * MIN);
    expect(await e.tick()).toBe(0);
    clock.advance(2 * MIN); // 31 min: weather (skip), fx (use_cached) and rates (use_cached, none) time out
    expect(await e.tick()).toBe(3);
    const byProduct = async (name: string, windowId: string) =>
      (await t.catalog.forTenant(tenantId).executions.list({}, { productId: p[name]!.productId })).items.find(
        (x) => x.windowId === windowId,
      );
    const enriched = await byProduct('enriched', '2026-11-23');
    expect(enriched).toMatchObject({ state: 'ready' });
    expect((enriched!.inputs!['inputs'] as JsonObject)['weather']).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('fallback skip'),
    });
    const fx = await byProduct('with-fx', '2026-11-23');
    expect((fx!.inputs!['inputs'] as JsonObject)['fx']).toMatchObject({
      status: 'cached',
      snapshotId: expect.any(String),
    });
    const rates = await byProduct('with-rates', '2026-11-23');
    expect(rates).toMatchObject({ state: 'failed', error: { kind: 'Permanent', code: 'input_unavailable' } });
    expect(rates!.stateReason).toBe(
      'input "rates" published no data.available within 30 min and it has no committed snapshot to use (fallback use_cached)',
    );

    clock.advance(30 * MIN); // 61 min: both open days of daily-revenue time out, fallback fail
    expect(await e.tick()).toBe(2);
    const day21 = await byProduct('daily-revenue', '2026-11-21');
    expect(day21).toMatchObject({ state: 'failed', error: { code: 'input_unavailable' } });
    expect(day21!.stateReason).toBe('input "orders" published no data.available within 60 min (fallback fail)');
    const transitions = await t.catalog.forTenant(tenantId).executions.transitions(day21!.id);
    expect(transitions.map((x) => x.to)).toEqual(['pending', 'failed']);
    expect(await e.tick()).toBe(0);
  });

  it('a restart loses no partial correlation, and its deadlines still fire', async () => {
    await e.onDataAvailable(available('orders', '2026-11-24'));
    await e.onDataAvailable(available('trades', '2026-11-24'));
    await t.restart();
    e = engine();
    const [done] = await e.onDataAvailable(available('payments', '2026-11-24'));
    expect(done).toMatchObject({ product: 'daily-revenue', windowId: '2026-11-24', state: 'triggered' });
    const run = await execution(done!.executionId!);
    expect(Object.keys(run!.inputs!['inputs'] as JsonObject).sort()).toEqual(['orders', 'payments']);
    clock.advance(31 * MIN);
    expect(await e.tick()).toBe(1);
    const fx = (
      await t.catalog.forTenant(tenantId).executions.list({}, { productId: p['with-fx']!.productId })
    ).items.find((x) => x.windowId === '2026-11-24');
    expect(fx).toMatchObject({ state: 'ready' });
  });

  it('latest inputs match any window; latest-only products run in rounds', async () => {
    expect(await e.onDataAvailable(available('dims', '2026-01-01'))).toEqual([]); // kept on the carry row
    const [mix] = await e.onDataAvailable(available('visits', '2026-11-25'));
    expect(mix).toMatchObject({ product: 'latest-mix', windowId: '2026-11-25', state: 'triggered' });
    expect(await e.onDataAvailable(available('a-feed'))).toEqual([
      { product: 'rolling', windowId: 'latest-1', state: 'open' },
    ]);
    expect(await e.onDataAvailable(available('b-feed'))).toMatchObject([
      { product: 'rolling', windowId: 'latest-1', state: 'triggered' },
    ]);
    expect(await e.onDataAvailable(available('b-feed'))).toEqual([
      { product: 'rolling', windowId: 'latest-2', state: 'open' },
    ]);
    const map = await e.subscriptionMap(tenantId);
    expect(map.byUpstream.get('orders')?.map((c) => c.productName)).toEqual(['daily-revenue']); // manual-only is not event-scheduled
  });
});
