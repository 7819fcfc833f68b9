#!/usr/bin/env node
/* global setTimeout */
// npm run bench:events — publish+consume throughput of the PostgreSQL event bus (the outbox is
// the log: publish in the producer's transaction → relay → consumer group → offsets committed),
// on server PostgreSQL and on PGlite, against the floor measured in the same run on the same
// engine: a plain INSERT loop (one autocommit INSERT per event) into a table shaped like the
// outbox. Runs against the built dist. Writes .bench/events.json and prints the same JSON.
//   HEKIMA_BENCH_EVENTS (default 2000), HEKIMA_BENCH_DRIVERS (default postgres,pglite),
//   HEKIMA_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dist = (p) => import(join(root, 'platform-core/dist', p));
const N = Number(process.env.HEKIMA_BENCH_EVENTS ?? 2000);
const URL_ = process.env.HEKIMA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const drivers = (process.env.HEKIMA_BENCH_DRIVERS ?? 'postgres,pglite').split(',');

const { PgliteDatabase } = await dist('adapters/postgres/pglite-database.js');
const { PostgresDatabase } = await dist('adapters/postgres/postgres-database.js');
const { migrate } = await dist('adapters/postgres/migrations/migrator.js');
const { PostgresCatalog } = await dist('adapters/postgres/catalog/postgres-catalog.js');
const { AesGcmSecretCipher } = await dist('adapters/crypto/aes-gcm-secret-cipher.js');
const { SecretValue } = await dist('domain/secret-value.js');
const { PostgresEventBus } = await dist('adapters/postgres/events/postgres-event-bus.js');

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(1);
};
const perSecond = (n, ms) => Math.round((n * 1000) / ms);

/** The outbox's shape, without the bus: uuid id, unique event id, jsonb payload, timestamps. */
const PLAIN_TABLE = `CREATE TABLE bench_plain (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), seq bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id uuid NOT NULL, event_id text NOT NULL UNIQUE, type text NOT NULL, payload jsonb NOT NULL,
  occurred_at timestamptz(3) NOT NULL DEFAULT now(), created_at timestamptz(3) NOT NULL DEFAULT now())`;
const PLAIN_INSERT = `INSERT INTO bench_plain (tenant_id, event_id, type, payload) VALUES ($1, $2, $3, $4::jsonb)`;

const payload = (i) => ({
  product_id: 'orders',
  snapshot_id: `snap-${i}`,
  freshness: '2026-11-23T10:00:00Z',
  row_count: i,
});

async function plainInsertLoop(query) {
  const tenant = randomUUID();
  const t = performance.now();
  for (let i = 0; i < N; i += 1)
    await query(PLAIN_INSERT, [tenant, `evt-${i}`, 'DataAvailable', JSON.stringify(payload(i))]);
  const ms = performance.now() - t;
  return { events: N, ms: Math.round(ms), eventsPerSecond: perSecond(N, ms) };
}

/** Publishes N events (`perTransaction` per producer transaction) while one group consumes them. */
async function busRun(db, catalog, perTransaction) {
  const bus = new PostgresEventBus({ db, catalog });
  await bus.start();
  const created = await catalog.tenants.create({ slug: `bench-${randomBytes(3).toString('hex')}` });
  const tenant = await catalog.tenants.transition(created.id, 'ACTIVE', 'bench');
  const committedAt = new Map();
  const latencies = [];
  let handled = 0;
  let allDone;
  const done = new Promise((r) => (allDone = r));
  const sub = await bus.subscribe({
    tenantId: tenant.id,
    group: `${tenant.slug}.bench.consumer`,
    topics: 'all',
    handler: async (event) => {
      const at = committedAt.get(event.eventId);
      if (at !== undefined) latencies.push(performance.now() - at);
      if (++handled === N) allDone();
    },
  });
  const t = performance.now();
  for (let i = 0; i < N; i += perTransaction) {
    const ids = await catalog.transaction(tenant.id, async (tx) => {
      const out = [];
      for (let j = i; j < Math.min(N, i + perTransaction); j += 1) {
        out.push(
          (await bus.publish(tx, { eventType: 'DataAvailable', product: `p${j % 8}`, payload: payload(j) })).event
            .eventId,
        );
      }
      return out;
    });
    const now = performance.now();
    for (const id of ids) committedAt.set(id, now);
  }
  const publishedMs = performance.now() - t;
  await done;
  const consumedMs = performance.now() - t;
  await sub.caughtUp();
  const committedMs = performance.now() - t;
  await sub.close();
  await bus.close();
  return {
    events: N,
    perTransaction,
    publishMs: Math.round(publishedMs),
    consumedMs: Math.round(consumedMs),
    offsetsCommittedMs: Math.round(committedMs),
    eventsPerSecond: perSecond(N, consumedMs),
    commitToHandlerMs: { p50: pct(latencies, 50), p95: pct(latencies, 95), max: +Math.max(...latencies).toFixed(1) },
  };
}

/** One event at a time on an idle bus: producer commit → handler (the wake-up path, no load). */
async function idleLatency(db, catalog, count = 50) {
  const bus = new PostgresEventBus({ db, catalog });
  await bus.start();
  const created = await catalog.tenants.create({ slug: `idle-${randomBytes(3).toString('hex')}` });
  const tenant = await catalog.tenants.transition(created.id, 'ACTIVE', 'bench');
  let wake;
  const sub = await bus.subscribe({
    tenantId: tenant.id,
    group: 'idle',
    topics: 'all',
    handler: async () => wake(performance.now()),
  });
  const ms = [];
  for (let i = 0; i < count; i += 1) {
    const handled = new Promise((r) => (wake = r));
    await catalog.transaction(tenant.id, (tx) =>
      bus.publish(tx, { eventType: 'DataAvailable', product: 'orders', payload: payload(i) }),
    );
    const committed = performance.now();
    ms.push((await handled) - committed);
    await new Promise((r) => setTimeout(r, 5));
  }
  await sub.close();
  await bus.close();
  return { events: count, p50: pct(ms, 50), p95: pct(ms, 95), max: +Math.max(...ms).toFixed(1) };
}

async function openDriver(driver) {
  const key = SecretValue.of(randomBytes(32).toString('base64'));
  if (driver === 'pglite') {
    const db = await PgliteDatabase.open();
    await migrate(db);
    const raw = await PGlite.create();
    await raw.exec(PLAIN_TABLE);
    return {
      db,
      catalog: new PostgresCatalog(db, new AesGcmSecretCipher(key)),
      plain: (text, params) => raw.query(text, params),
      close: async () => {
        await raw.close();
        await db.close();
      },
    };
  }
  const schema = `hekima_bench_${randomBytes(4).toString('hex')}`;
  const db = await PostgresDatabase.open({ url: URL_, schema, poolSize: 10 });
  await migrate(db);
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  await client.query(`SET search_path = "${schema}"`);
  await client.query(PLAIN_TABLE);
  return {
    db,
    catalog: new PostgresCatalog(db, new AesGcmSecretCipher(key)),
    plain: (text, params) => client.query(text, params),
    close: async () => {
      await client.end();
      await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await db.close();
    },
  };
}

const results = {};
for (const driver of drivers) {
  const d = await openDriver(driver);
  try {
    const baseline = await plainInsertLoop(d.plain);
    const single = await busRun(d.db, d.catalog, 1);
    const batched = await busRun(d.db, d.catalog, 100);
    const idle = await idleLatency(d.db, d.catalog);
    results[driver] = {
      baseline: { what: 'plain autocommit INSERT loop, same engine, outbox-shaped table', ...baseline },
      bus: { what: 'publish in its own transaction (1 event) → relay → consumer group, offsets committed', ...single },
      busBatched: { what: 'publish 100 events per producer transaction → relay → consumer group', ...batched },
      idleCommitToHandlerMs: { what: 'one event at a time, idle bus: producer commit → handler called', ...idle },
      ratio: {
        busVsPlainInsert: +(single.eventsPerSecond / baseline.eventsPerSecond).toFixed(2),
        busBatchedVsPlainInsert: +(batched.eventsPerSecond / baseline.eventsPerSecond).toFixed(2),
      },
    };
  } finally {
    await d.close();
  }
}

const report = {
  benchmark: 'events',
  date: new Date().toISOString(),
  node: process.version,
  events: N,
  drivers: results,
  // data.available → downstream execution start, from the last `npm run bench:latency` run
  // (.bench/latency.json; `npm run bench` runs it first); null when it has not been run.
  dataAvailableToExecutionStart: await latencyMeasurement(),
};
await mkdir(join(root, '.bench'), { recursive: true });
await writeFile(join(root, '.bench', 'events.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

/** The bus path (else the direct path) of .bench/latency.json per driver: p50/p95 and the target. */
async function latencyMeasurement() {
  let latency;
  try {
    latency = JSON.parse(await readFile(join(root, '.bench', 'latency.json'), 'utf8'));
  } catch {
    return null;
  }
  const out = { source: '.bench/latency.json' };
  for (const [driver, entry] of Object.entries(latency.results ?? {})) {
    const ms = entry.bus_ms ?? entry.direct_ms;
    if (!ms) continue;
    out[driver] = {
      path: entry.bus_ms ? 'bus' : 'direct',
      p50_ms: ms.p50,
      p95_ms: ms.p95,
      target_p95_ms: entry.target_p95_ms,
      meets_target: entry.meets_target,
    };
  }
  return out;
}
