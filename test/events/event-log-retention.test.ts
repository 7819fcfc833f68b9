import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KafkaEventBus } from '../../platform-core/src/adapters/kafka/kafka-event-bus.js';
import {
  DEFAULT_EVENT_LOG_RETENTION_MS,
  eventLogRetention,
  pruneEventLog,
  type EventLogRetention,
} from '../../platform-core/src/adapters/postgres/events/event-log-retention.js';
import { PostgresEventBus } from '../../platform-core/src/adapters/postgres/events/postgres-event-bus.js';
import { catchUpAuditTrail } from '../../platform-core/src/application/audit/audit-consumer.js';
import type { Tenant } from '../../platform-core/src/domain/catalog/tenant.js';
import type { EventBus } from '../../platform-core/src/ports/event-bus.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { freshTenant, publishData, recorder, snapshotOf } from './contract/event-context.js';
import type { EventHarness } from './support/event-harness.js';
import { MemoryKafka } from './support/memory-kafka.js';

const DAY_MS = 86_400_000;
const RETENTION = eventLogRetention({}, { retentionMs: 7 * DAY_MS }); // 30 days

const backends: [string, () => Promise<TestCatalog>][] = [
  ['PGlite', openPgliteCatalog],
  ['PostgreSQL', () => openPostgresCatalog('logretention')],
];

describe.each(backends)('event log retention (%s)', (_name, open) => {
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

  const tenant = (): Promise<Tenant> => freshTenant(h(), 'l');
  /** Publishes `count` DataAvailable events (snap-from …) and returns their ids. */
  const publish = async (a: Tenant, count: number, from = 0, on: EventBus = bus) =>
    (await publishData(h(), on, a, 'orders', count, from)).map((p) => p.event.eventId);
  /** The tenant's event ids still in the outbox, in log order, read as the tenant. */
  const kept = (tenantId: string) =>
    t.db.withTenant(tenantId, async (sql) =>
      (await sql.query('SELECT event_id FROM events WHERE tenant_id = $1 ORDER BY seq', [tenantId])).rows.map((r) =>
        String(r['event_id']),
      ),
    );
  /** Makes events look `days` old (test set-up on the admin path). */
  const age = (eventIds: readonly string[], days: number) =>
    t.db.admin.transaction((sql) =>
      sql.query(`UPDATE events SET created_at = now() - $2::numeric * interval '1 day' WHERE event_id = ANY($1)`, [
        eventIds,
        String(days),
      ]),
    );
  /** Handles the tenant's events in `group` until caught up; returns what it saw. */
  const consume = async (tenantId: string, group: string, on: EventBus = bus) => {
    const rec = recorder();
    const sub = await on.subscribe({ tenantId, group, topics: 'all', handler: rec.handler });
    await sub.caughtUp();
    await sub.close();
    return rec.seen.map(snapshotOf);
  };
  const audit = (a: Tenant, on: EventBus = bus) => catchUpAuditTrail(on, t.catalog, a);
  const prune = (a: readonly Tenant[], retention: EventLogRetention = RETENTION) =>
    pruneEventLog(
      t.db,
      retention,
      'log',
      undefined,
      a.map((x) => x.id),
    );

  it('deletes old, audited events below every watermark; keeps new ones; a new group starts at the oldest kept', async () => {
    const a = await tenant();
    const ids = await publish(a, 5);
    await audit(a);
    await consume(a.id, 'sensor');
    await age(ids.slice(0, 3), 31); // past 30 days
    await age(ids.slice(3), 29); // within
    expect(await prune([a])).toEqual({ deleted: 3, more: false });
    expect(await kept(a.id)).toEqual(ids.slice(3));
    // Pruned events are gone for readers of the log too.
    expect(await t.catalog.forTenant(a.id).events.get(ids[0]!)).toBeUndefined();
    expect(await prune([a])).toEqual({ deleted: 0, more: false });

    // Like Kafka's log retention: a new group starts at the oldest retained event and gets every one.
    expect(await consume(a.id, 'newcomer')).toEqual(['snap-3', 'snap-4']);
    // The audit trail still has all five.
    const trail = await t.catalog.forTenant(a.id).audit.list({ limit: 10 });
    expect(trail.items.map((e) => e.eventId).sort()).toEqual([...ids].sort());
  });

  it("keeps a lagging group's unconsumed events until it has consumed them, and the tenant's newest row", async () => {
    const a = await tenant();
    const first = await publish(a, 1);
    await consume(a.id, 'lagging'); // its watermark: the first event
    const rest = await publish(a, 3, 1);
    await audit(a);
    await consume(a.id, 'sensor');
    await age([...first, ...rest], 40);
    expect(await prune([a])).toEqual({ deleted: 1, more: false });
    expect(await kept(a.id)).toEqual(rest);

    // The lagging group loses nothing.
    expect(await consume(a.id, 'lagging')).toEqual(['snap-1', 'snap-2', 'snap-3']);
    // Now everything but the newest row (the relay's head never goes back) may go.
    expect(await prune([a])).toEqual({ deleted: 2, more: false });
    expect(await kept(a.id)).toEqual([rest[2]]);
    const next = await publish(a, 1, 4);
    expect(await consume(a.id, 'lagging')).toEqual(['snap-4']);
    expect(await kept(a.id)).toEqual([rest[2], ...next]);
  });

  it('keeps an event not yet in the audit trail, even when every other group is past it', async () => {
    const a = await tenant();
    const ids = await publish(a, 3);
    await consume(a.id, 'sensor');
    await age(ids, 40);
    expect(await prune([a])).toEqual({ deleted: 0, more: false });
    expect(await kept(a.id)).toEqual(ids);
    await audit(a);
    expect(await prune([a])).toEqual({ deleted: 2, more: false });
    expect(await kept(a.id)).toEqual([ids[2]]);
  });

  it('the database itself refuses to let the tenant delete an unaudited, unconsumed or newest event (migration 012)', async () => {
    const a = await tenant();
    const ids = await publish(a, 3);
    await consume(a.id, 'sensor');
    const deleteAll = () =>
      t.db.withTenant(
        a.id,
        async (sql) => (await sql.query('DELETE FROM events WHERE tenant_id = $1', [a.id])).rowCount,
      );
    expect(await deleteAll()).toBe(0); // not audited
    await audit(a);
    await publish(a, 1, 3); // relayed, but ahead of every watermark (and the newest)
    await bus.relayOnce();
    expect(await deleteAll()).toBe(3); // the audited, consumed ones (the age is the sweeper's rule)
    expect((await kept(a.id)).length).toBe(1);
    expect(await kept(a.id)).not.toContain(ids[0]);
    // And still no UPDATE: a kept event is never changed.
    await expect(
      t.db.withTenant(a.id, (sql) => sql.query(`UPDATE events SET payload = '{}'::jsonb WHERE tenant_id = $1`, [a.id])),
    ).rejects.toThrow(/permission denied/);
  });

  it('prunes tenant by tenant: pruning one tenant never touches another', async () => {
    const [a, b] = [await tenant(), await tenant()];
    const ea = await publish(a, 3);
    const eb = await publish(b, 3);
    for (const x of [a, b]) {
      await audit(x);
      await consume(x.id, 'sensor');
    }
    await consume(b.id, 'lagging-b'); // caught up now …
    await age([...ea, ...eb], 40);
    expect(await prune([a])).toEqual({ deleted: 2, more: false });
    expect(await kept(a.id)).toEqual([ea[2]]);
    expect(await kept(b.id)).toEqual(eb);
    const more = await publish(b, 2, 3); // … but lagging-b lags behind these in B only
    await audit(b);
    await consume(b.id, 'sensor');
    await age(more, 40);
    expect(await prune([b])).toEqual({ deleted: 3, more: false });
    expect(await kept(b.id)).toEqual(more);
    expect(await kept(a.id)).toEqual([ea[2]]);
  });

  it('deletes in bounded batches and leaves the rest for the next sweep', async () => {
    const a = await tenant();
    const ids = await publish(a, 13);
    await audit(a);
    await consume(a.id, 'sensor');
    await age(ids, 40);
    const bounded = { ...RETENTION, batchSize: 3, maxRowsPerSweep: 5 };
    expect(await prune([a], bounded)).toEqual({ deleted: 5, more: true });
    expect(await kept(a.id)).toEqual(ids.slice(5));
    expect(await prune([a], bounded)).toEqual({ deleted: 5, more: true });
    expect(await prune([a], bounded)).toEqual({ deleted: 2, more: false });
    expect(await kept(a.id)).toEqual([ids[12]]);
  });

  it('is swept by a running relay (bus.start), with the retention it is given', async () => {
    const a = await tenant();
    const ids = await publish(a, 3);
    await audit(a);
    await consume(a.id, 'sensor');
    await age(ids, 2 / 24); // two hours old
    const sweeping = new PostgresEventBus({
      db: t.db,
      catalog: t.catalog,
      pollMs: 50,
      consumedRetention: { retentionMs: 3_600_000, sweepEveryMs: 1_000 },
      logRetention: { retentionMs: 3_600_000 },
    });
    try {
      await sweeping.start();
      await vi.waitFor(async () => expect(await kept(a.id)).toEqual([ids[2]]), { timeout: 10_000, interval: 50 });
    } finally {
      await sweeping.close();
    }
  });

  it('on the Kafka bus prunes what was delivered to Kafka and audited, past the retention', async () => {
    const kafka = new KafkaEventBus({ brokers: [], db: t.db, catalog: t.catalog, kafka: new MemoryKafka().client() });
    try {
      const a = await tenant();
      const ids = await publish(a, 3, 0, kafka);
      await audit(a, kafka); // relays them to Kafka, then records them
      const unaudited = await publish(a, 1, 3, kafka);
      await kafka.relayOnce(); // delivered to Kafka, not audited yet
      const undelivered = await publish(a, 1, 4, kafka); // still only in the outbox
      await age([...ids, ...unaudited, ...undelivered], 40);
      await age([ids[2]!], 10);
      // No watermark on Kafka (offsets are Kafka's): delivered, audited and old is enough.
      expect(await pruneEventLog(t.db, RETENTION, 'relay-buffer', undefined, [a.id])).toEqual({
        deleted: 2,
        more: false,
      });
      expect(await kept(a.id)).toEqual([ids[2], ...unaudited, ...undelivered]);
    } finally {
      await kafka.close();
    }
  });
});

describe('event log retention settings', () => {
  const consumed = { retentionMs: 7 * DAY_MS };
  it('defaults to 30 days (or the consumed retention if longer) and refuses less than the consumed retention', () => {
    expect(eventLogRetention({}, consumed)).toEqual({
      retentionMs: DEFAULT_EVENT_LOG_RETENTION_MS,
      batchSize: 1_000,
      maxRowsPerSweep: 50_000,
    });
    expect(DEFAULT_EVENT_LOG_RETENTION_MS).toBe(30 * DAY_MS);
    expect(eventLogRetention({}, { retentionMs: 60 * DAY_MS }).retentionMs).toBe(60 * DAY_MS);
    expect(eventLogRetention({ retentionMs: 7 * DAY_MS }, consumed).retentionMs).toBe(7 * DAY_MS);
    expect(() => eventLogRetention({ retentionMs: 6 * DAY_MS }, consumed, 'hekima.yaml events')).toThrow(
      expect.objectContaining({
        kind: 'InvalidArgument',
        code: 'invalid_event_retention',
        message: expect.stringMatching(
          /^hekima\.yaml events: logRetention\.retentionMs is 518400000; .*≥ 604800000.*consumedRetention\.retentionMs/,
        ),
        details: expect.objectContaining({ field: 'logRetention.retentionMs' }),
      }),
    );
    expect(() => eventLogRetention({ maxRowsPerSweep: 0 }, consumed)).toThrow(/logRetention\.maxRowsPerSweep/);
    expect(
      () =>
        new PostgresEventBus({
          db: {} as never,
          catalog: {} as never,
          consumedRetention: { retentionMs: 40 * DAY_MS },
          logRetention: { retentionMs: 35 * DAY_MS },
        }),
    ).toThrow(/logRetention\.retentionMs is 3024000000/);
    expect(
      () => new PostgresEventBus({ db: {} as never, catalog: {} as never, logRetention: { batchSize: 1.5 } }),
    ).toThrow(/logRetention\.batchSize is 1\.5/);
  });
});
