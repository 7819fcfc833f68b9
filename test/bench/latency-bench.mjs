#!/usr/bin/env node
/* global setTimeout, Buffer, AbortController */
// npm run bench:latency — `data.available` → downstream execution start, p50/p95, on server
// PostgreSQL and on PGlite (targets: p95 ≤ 250 ms server, ≤ 1 s embedded). For each driver:
//   baseline  a bare NOTIFY → LISTEN round trip on the same database (the floor of any wake-up);
//   direct    correlation engine → queue → worker: onDataAvailable called in-process;
//   bus       the whole path: publish DataAvailable to the outbox → relay → sensor subscription
//             (consumer group {tenant}.{product}.sensor) → correlation → queue → worker.
// "Start" is the moment the worker calls the first step function. Writes .bench/latency.json.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dist = (p) => import(join(root, 'platform-core/dist', p));
const N = Number(process.env.HEKIMA_BENCH_EVENTS ?? 100);
const URL_ = process.env.HEKIMA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const drivers = (process.env.HEKIMA_BENCH_DRIVERS ?? 'postgres,pglite').split(',');

const { PgliteDatabase } = await dist('adapters/postgres/pglite-database.js');
const { PostgresDatabase } = await dist('adapters/postgres/postgres-database.js');
const { migrate } = await dist('adapters/postgres/migrations/migrator.js');
const { PostgresCatalog } = await dist('adapters/postgres/catalog/postgres-catalog.js');
const { AesGcmSecretCipher } = await dist('adapters/crypto/aes-gcm-secret-cipher.js');
const { SecretValue } = await dist('domain/secret-value.js');
const { executionBackbone } = await dist('adapters/postgres/executions/execution-backbone.js');
const { SystemClock } = await dist('adapters/system/system-clock.js');
const { ExecutionWorker } = await dist('application/executions/execution-worker.js');
const { CorrelationEngine } = await dist('application/orchestration/correlation-engine.js');
const { CorrelationSensors } = await dist('application/orchestration/correlation-sensors.js');
const { akoScorePolicy } = await dist('domain/execution/placement.js');
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(1);
};
const stats = (ms) => ({ n: ms.length, p50: pct(ms, 50), p95: pct(ms, 95), max: +Math.max(...ms).toFixed(1) });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function open(driver) {
  const schema = `hekima_bench_${randomUUID().slice(0, 8)}`;
  const db =
    driver === 'pglite'
      ? await PgliteDatabase.open()
      : await PostgresDatabase.open({ url: URL_, schema, poolSize: 10 });
  await migrate(db);
  const catalog = new PostgresCatalog(
    db,
    new AesGcmSecretCipher(SecretValue.of(Buffer.alloc(32, 1).toString('base64'))),
  );
  const tenant = await catalog.tenants.transition(
    (await catalog.tenants.create({ slug: 'bench-latency' })).id,
    'ACTIVE',
  );
  const deploy = (name, manifests) =>
    catalog.transaction(tenant.id, async (tx) => {
      const product = await tx.products.register({ name });
      const version = await tx.products.addVersion({
        productId: product.id,
        version: '1.0.0',
        manifests,
        manifestHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      });
      await tx.deployments.create({ productId: product.id, productVersionId: version.id });
      return product;
    });
  const upstream = await deploy('raw-orders', {});
  await deploy('order-stats', {
    inputs: { inputs: [{ id: 'raw-orders', type: 'data_product', partition_mapping: 'latest' }] },
  });
  const cleanup = async () => {
    if (driver === 'postgres')
      await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await db.close();
  };
  return { db, catalog, tenant, upstream, cleanup };
}

async function baseline(db) {
  let wake;
  const unlisten = await db.listen('hekima_bench_ping', () => wake?.());
  const ms = [];
  for (let i = 0; i < N; i++) {
    const woke = new Promise((r) => (wake = r));
    const t0 = performance.now();
    await db.admin.transaction((sql) => sql.query("SELECT pg_notify('hekima_bench_ping', 'x')"));
    await woke;
    ms.push(performance.now() - t0);
  }
  await unlisten();
  return stats(ms);
}

async function pipeline(ctx, mode) {
  const { db, catalog, tenant, upstream } = ctx;
  const backbone = executionBackbone(catalog);
  const clock = new SystemClock();
  const engine = new CorrelationEngine({
    store: backbone.correlations,
    queue: backbone.queue,
    clock,
    logger: silent,
    mapTtlMs: 60_000,
  });
  let started;
  const worker = new ExecutionWorker({
    id: `bench-${mode}`,
    hostname: 'bench',
    pid: process.pid,
    queue: backbone.queue,
    registry: backbone.workers,
    handler: { plan: async () => [{ name: 'transform', phase: 'run', kind: 'noop' }] },
    runner: { run: async () => (started?.(performance.now()), {}) },
    placement: akoScorePolicy(0.5),
    capacity: { cpuMillis: 8000, memoryBytes: 16 * 2 ** 30 },
    concurrency: 4,
    logger: silent,
    clock,
  });
  const stop = new AbortController();
  const working = worker.run(stop.signal);
  let bus, sensors;
  if (mode === 'bus') {
    const { PostgresEventBus } = await dist('adapters/postgres/events/postgres-event-bus.js');
    bus = new PostgresEventBus({ db, catalog, logger: silent });
    await bus.start();
    sensors = new CorrelationSensors({ bus, catalog, engine, clock, logger: silent, refreshMs: 3_600_000 });
    await sensors.sync();
  }
  const event = () => ({
    product_id: upstream.id,
    product_name: 'raw-orders',
    snapshot_id: randomUUID(),
    freshness: new Date().toISOString(),
  });
  const ms = [];
  for (let i = 0; i < N + 5; i++) {
    const begun = new Promise((r) => (started = r));
    const t0 = performance.now();
    if (mode === 'bus') {
      await catalog.transaction(tenant.id, (tx) =>
        bus.publish(tx, {
          eventType: 'DataAvailable',
          product: 'raw-orders',
          productId: upstream.id,
          payload: event(),
        }),
      );
    } else {
      const id = `evt-${randomUUID()}`;
      await engine.onDataAvailable({
        eventId: id,
        eventType: 'DataAvailable',
        tenantId: tenant.id,
        correlationId: id,
        timestamp: new Date().toISOString(),
        payload: event(),
      });
    }
    const t1 = await Promise.race([begun, pause(15_000).then(() => NaN)]);
    if (Number.isNaN(t1)) throw new Error(`${mode}: no execution started within 15 s (event ${i})`);
    if (i >= 5) ms.push(t1 - t0); // 5 warm-up events
    await pause(10);
  }
  stop.abort();
  await sensors?.close();
  await bus?.close();
  await working;
  return stats(ms);
}

const results = {};
for (const driver of drivers) {
  const ctx = await open(driver);
  try {
    const entry = { baseline_notify_ms: await baseline(ctx.db), direct_ms: await pipeline(ctx, 'direct') };
    try {
      entry.bus_ms = await pipeline(ctx, 'bus');
    } catch (e) {
      entry.bus_error = String(e && e.message ? e.message : e);
    }
    const target = driver === 'postgres' ? 250 : 1000;
    const headline = entry.bus_ms ?? entry.direct_ms;
    entry.target_p95_ms = target;
    entry.meets_target = headline.p95 <= target;
    entry.ratio_p95_to_baseline = +(headline.p95 / Math.max(0.1, entry.baseline_notify_ms.p95)).toFixed(1);
    results[driver] = entry;
    console.log(
      `${driver}: baseline p95 ${entry.baseline_notify_ms.p95} ms, direct p50/p95 ${entry.direct_ms.p50}/${entry.direct_ms.p95} ms, bus ${entry.bus_ms ? `${entry.bus_ms.p50}/${entry.bus_ms.p95} ms` : `failed: ${entry.bus_error}`}`,
    );
  } finally {
    await ctx.cleanup();
  }
}
const report = {
  benchmark: 'latency',
  what: 'data.available → downstream execution start',
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  events: N,
  results,
};
await mkdir(join(root, '.bench'), { recursive: true });
await writeFile(join(root, '.bench', 'latency.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
