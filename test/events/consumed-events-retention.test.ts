import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  consumedEventsRetention,
  DEFAULT_CONSUMED_EVENTS_RETENTION,
  pruneConsumedEvents,
} from '../../platform-core/src/adapters/postgres/events/consumed-events-retention.js';
import { PostgresEventBus } from '../../platform-core/src/adapters/postgres/events/postgres-event-bus.js';
import type { Tenant } from '../../platform-core/src/domain/catalog/tenant.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { freshTenant, publishData, recorder, snapshotOf } from './contract/event-context.js';
import type { EventHarness } from './support/event-harness.js';

const DAY_MS = 86_400_000;
const RETENTION = DEFAULT_CONSUMED_EVENTS_RETENTION;

const backends: [string, () => Promise<TestCatalog>][] = [
  ['PGlite', openPgliteCatalog],
  ['PostgreSQL', () => openPostgresCatalog('retention')],
];

describe.each(backends)('consumed-event marks past retention (%s)', (_name, open) => {
  let t: TestCatalog;
  let bus: PostgresEventBus;
  const h = () => ({ catalog: t.catalog }) as unknown as EventHarness;

  beforeAll(async () => {
    t = await open();
    bus = new PostgresEventBus({ db: t.db, catalog: t.catalog, pollMs: 50, leaseMs: 3_000 });
  }, 60_000);
  afterAll(async () => {
    await bus?.close();
    await t?.cleanup();
  });

  const tenant = (): Promise<Tenant> => freshTenant(h(), 'r');
  /** The tenant's marks as (group, event id), read as the tenant. */
  const marks = (tenantId: string) =>
    t.db.withTenant(tenantId, async (sql) =>
      (
        await sql.query('SELECT consumer_group, event_id FROM consumed_events WHERE tenant_id = $1 ORDER BY event_id', [
          tenantId,
        ])
      ).rows.map((r) => `${String(r['consumer_group'])}:${String(r['event_id'])}`),
    );
  /** Makes marks look `days` old (test set-up on the admin path). */
  const age = (eventIds: readonly string[], days: number) =>
    t.db.admin.transaction((sql) =>
      sql.query(
        `UPDATE consumed_events SET created_at = now() - $2::numeric * interval '1 day' WHERE event_id = ANY($1)`,
        [eventIds, String(days)],
      ),
    );
  /** Handles events of the tenant in group `group` until caught up; returns the recorder. */
  const consume = async (tenantId: string, group: string) => {
    const rec = recorder();
    const sub = await bus.subscribe({ tenantId, group, topics: 'all', handler: rec.handler });
    await sub.caughtUp();
    await sub.close();
    return rec;
  };

  it('deletes marks older than the retention, keeps newer ones, and only in the tenants it is given', async () => {
    const [a, b] = [await tenant(), await tenant()];
    const ea = (await publishData(h(), bus, a, 'orders', 3)).map((p) => p.event.eventId);
    const eb = (await publishData(h(), bus, b, 'orders', 2)).map((p) => p.event.eventId);
    await consume(a.id, 'sensor');
    await consume(b.id, 'sensor');
    expect(await marks(a.id)).toHaveLength(3);
    await age([ea[0]!, ea[1]!, eb[0]!], 8); // past 7 days
    await age([ea[2]!], 6.9); // within
    const beforeB = await marks(b.id);

    // Only tenant A: B's old mark stays.
    expect(await pruneConsumedEvents(t.db, RETENTION, undefined, [a.id])).toEqual({ deleted: 2, more: false });
    expect(await marks(a.id)).toEqual([`sensor:${ea[2]}`]);
    expect(await marks(b.id)).toEqual(beforeB);

    // Every tenant: B's old mark goes, its new one stays.
    const all = await pruneConsumedEvents(t.db, RETENTION);
    expect(all.deleted).toBeGreaterThanOrEqual(1); // other tests' tenants may have old marks too
    expect(await marks(b.id)).toEqual([`sensor:${eb[1]}`]);
    expect(await marks(a.id)).toEqual([`sensor:${ea[2]}`]);
  });

  it('keeps idempotency within the window: a redelivered event is still skipped after a sweep', async () => {
    const a = await tenant();
    const [recent, old] = (await publishData(h(), bus, a, 'orders', 2)).map((p) => p.event);
    const first = await consume(a.id, 'sensor');
    expect(first.seen.map(snapshotOf)).toEqual(['snap-0', 'snap-1']);
    await age([recent!.eventId], 6.9);
    await age([old!.eventId], 7.1);
    await pruneConsumedEvents(t.db, RETENTION, undefined, [a.id]);

    // Both events are delivered to the group again (a duplicate send).
    await bus.republish(a.id, recent!, { product: 'orders', group: 'sensor' });
    await bus.republish(a.id, old!, { product: 'orders', group: 'sensor' });
    const again = await consume(a.id, 'sensor');
    // Within the retention the mark still de-duplicates; past it the mark is gone (what retention means).
    expect(again.seen.map(snapshotOf)).toEqual(['snap-1']);
    expect(again.seen[0]!.eventId).toBe(old!.eventId);
  });

  it('deletes in bounded batches and leaves the rest for the next sweep', async () => {
    const a = await tenant();
    await t.db.withTenant(a.id, (sql) =>
      sql.query(
        `INSERT INTO consumed_events (tenant_id, consumer_group, event_id, created_at)
         SELECT $1, 'bulk', 'old-' || i, now() - interval '30 days' FROM generate_series(1, 2500) AS i`,
        [a.id],
      ),
    );
    const bounded = { ...RETENTION, batchSize: 1_000, maxRowsPerSweep: 2_000 };
    expect(await pruneConsumedEvents(t.db, bounded, undefined, [a.id])).toEqual({ deleted: 2_000, more: true });
    expect(await marks(a.id)).toHaveLength(500);
    expect(await pruneConsumedEvents(t.db, bounded, undefined, [a.id])).toEqual({ deleted: 500, more: false });
    expect(await marks(a.id)).toEqual([]);
  });

  it('is swept by a running relay (bus.start)', async () => {
    const a = await tenant();
    const events = (await publishData(h(), bus, a, 'orders', 2)).map((p) => p.event.eventId);
    await consume(a.id, 'sensor');
    await age([events[0]!], 2 / 24); // two hours old
    const sweeping = new PostgresEventBus({
      db: t.db,
      catalog: t.catalog,
      pollMs: 50,
      consumedRetention: { retentionMs: 3_600_000, sweepEveryMs: 1_000 },
    });
    try {
      await sweeping.start();
      await vi.waitFor(async () => expect(await marks(a.id)).toEqual([`sensor:${events[1]}`]), {
        timeout: 10_000,
        interval: 50,
      });
    } finally {
      await sweeping.close();
    }
  });
});

describe('consumed-event retention settings', () => {
  it('defaults to 7 days and refuses a retention too short for idempotency, naming the field', () => {
    expect(consumedEventsRetention().retentionMs).toBe(7 * DAY_MS);
    expect(consumedEventsRetention({ retentionMs: 2 * DAY_MS }).retentionMs).toBe(2 * DAY_MS);
    expect(() => consumedEventsRetention({ retentionMs: 60_000 }, 'hekima.yaml events')).toThrow(
      expect.objectContaining({
        kind: 'InvalidArgument',
        code: 'invalid_event_retention',
        message: expect.stringMatching(/^hekima\.yaml events: consumedRetention\.retentionMs is 60000; .*one hour/),
      }),
    );
    expect(() => consumedEventsRetention({ batchSize: 0 })).toThrow(/consumedRetention\.batchSize/);
    expect(
      () => new PostgresEventBus({ db: {} as never, catalog: {} as never, consumedRetention: { sweepEveryMs: NaN } }),
    ).toThrow(/consumedRetention\.sweepEveryMs is NaN/);
  });
});
