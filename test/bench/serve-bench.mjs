#!/usr/bin/env node
/* global setInterval, clearInterval, Buffer, gc */
// Serving a large snapshot: peak JS heap growth and time while one snapshot of N rows (default
// 500,000; HEKIMA_BENCH_ROWS) is projected into a lookup table (server PostgreSQL) and realtime
// keys (Redis), each mode in a fresh child process (node --expose-gc):
//   before  the rows of the whole snapshot read into memory first, as `snapshotRows` did before
//           serving streamed (`session.query('SELECT * FROM "snapshot"').json`), then handed to
//           each store (the stores slice it into 1,000-row statements / pipelines);
//   after   the stores read the snapshot through `snapshotBatches` (DuckDB streams it,
//           5,000 rows per batch, one read per endpoint).
// Heap is sampled every 2 ms and at every batch; growth is against a gc'd baseline taken just
// before serving starts. Then both modes again with the heap capped (--max-old-space-size,
// HEKIMA_BENCH_HEAP_CAP_MB, default 128; 0 skips): does the projection still complete?
// HEKIMA_BENCH_BATCH overrides the streamed batch size. Build first:
//   npx tsc -b platform-core && node test/bench/serve-bench.mjs
// Prints JSON and writes .bench/serve.json.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const ROWS = Number(process.env.HEKIMA_BENCH_ROWS ?? 500_000);
const PG_URL = process.env.HEKIMA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.HEKIMA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MB = 2 ** 20;
const mb = (bytes) => +(bytes / MB).toFixed(1);

const BATCH = process.env.HEKIMA_BENCH_BATCH ? Number(process.env.HEKIMA_BENCH_BATCH) : undefined;
const CAP_MB = Number(process.env.HEKIMA_BENCH_HEAP_CAP_MB ?? 128);

function child(mode, heapCapMb) {
  const flags = ['--expose-gc', ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [])];
  return spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), 'child', mode], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 16 * MB,
  });
}

if (process.argv[2] === 'child') {
  const result = await serve(process.argv[3]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const modes = {};
  for (const mode of ['before', 'after']) {
    const run = child(mode);
    if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
    modes[mode] = JSON.parse(run.stdout.trim().split('\n').at(-1));
  }
  // The same serving with the old space capped (HEKIMA_BENCH_HEAP_CAP_MB, default 128 MB).
  const capped = {};
  if (CAP_MB > 0)
    for (const mode of ['before', 'after']) {
      const run = child(mode, CAP_MB);
      capped[mode] =
        run.status === 0
          ? { served: true, total_ms: JSON.parse(run.stdout.trim().split('\n').at(-1)).total_ms }
          : {
              served: false,
              error: /heap out of memory/i.test(run.stderr) ? 'JavaScript heap out of memory' : run.stderr.slice(-500),
            };
    }
  const report = {
    benchmark: 'serve',
    what: `project one snapshot of ${ROWS} rows into lookup (PostgreSQL) and realtime (Redis)`,
    node: process.version,
    rows: ROWS,
    before: modes.before,
    after: modes.after,
    heap_growth_ratio: +(modes.before.peak_heap_growth_mb / Math.max(0.1, modes.after.peak_heap_growth_mb)).toFixed(1),
    ...(CAP_MB > 0 ? { [`max_old_space_${CAP_MB}mb`]: capped } : {}),
  };
  await mkdir(join(root, '.bench'), { recursive: true });
  await writeFile(join(root, '.bench', 'serve.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

async function serve(mode) {
  const dist = (p) => import(join(root, 'platform-core/dist', p));
  const { PostgresDatabase } = await dist('adapters/postgres/postgres-database.js');
  const { migrate } = await dist('adapters/postgres/migrations/migrator.js');
  const { PostgresCatalog } = await dist('adapters/postgres/catalog/postgres-catalog.js');
  const { AesGcmSecretCipher } = await dist('adapters/crypto/aes-gcm-secret-cipher.js');
  const { SecretValue } = await dist('domain/secret-value.js');
  const { FsLake } = await dist('adapters/fs-lake/fs-lake.js');
  const { DuckDbCheckEngine } = await dist('adapters/duckdb/duckdb-check-engine.js');
  const { PostgresServingStore } = await dist('adapters/postgres/serving/postgres-serving-store.js');
  const { RedisServingStore } = await dist('adapters/redis/redis-serving-store.js');
  const { writeSnapshot } = await dist('application/lake/write-snapshot.js');
  const { commitSnapshot } = await dist('application/lake/commit-snapshot.js');
  const { readableSnapshot } = await dist('application/lake/read-snapshot.js');
  const { snapshotBatches, SNAPSHOT_BATCH_ROWS } = await dist('application/serving/snapshot-rows.js');
  const { servingWriter } = await dist('domain/plan/serving-writers.js');
  const { parseColumnType } = await dist('domain/column-type.js');
  const { duckType } = await dist('domain/plan/engine-type.js');
  const { DuckDBInstance } = await import('@duckdb/node-api');

  const schema = `hekima_bench_${randomUUID().slice(0, 8)}`;
  const db = await PostgresDatabase.open({ url: PG_URL, schema, poolSize: 4 });
  const dir = await mkdtemp(join(tmpdir(), 'hekima-serve-bench-'));
  const realtime = new RedisServingStore({ url: REDIS_URL, timeoutMs: 10_000 });
  let tenantId;
  try {
    await migrate(db);
    const catalog = new PostgresCatalog(
      db,
      new AesGcmSecretCipher(SecretValue.of(Buffer.alloc(32, 1).toString('base64'))),
    );
    tenantId = (await catalog.tenants.transition((await catalog.tenants.create({ slug: 'bench-serve' })).id, 'ACTIVE'))
      .id;
    const product = 'member-balance';
    const target = await catalog.transaction(tenantId, async (tx) => {
      const p = await tx.products.register({ name: product });
      const v = await tx.products.addVersion({
        productId: p.id,
        version: '1.0.0',
        manifests: {},
        manifestHash: 'a'.repeat(64),
      });
      return { tenantId, productId: p.id, productVersionId: v.id, product, version: '1.0.0' };
    });
    const lake = new FsLake(dir);
    const staged = await writeSnapshot({ catalog, lake }, target, async (temp) => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run(`COPY (
        SELECT 'C' || lpad(i::VARCHAR, 8, '0') AS customer_id, i::BIGINT * 1000003 AS points,
          (i % 100000)::DECIMAL(12,2) / 100 AS balance, DATE '2020-01-01' + (i % 2000)::INTEGER AS since,
          ['gold', 'silver', 'bronze'][i % 3 + 1] AS segment, 'member' || i || '@example.com' AS email
        FROM range(${ROWS}) AS t(i)) TO '${temp.replace(/'/g, "''")}' (FORMAT parquet)`);
      connection.closeSync();
      instance.closeSync();
      return { rowCount: ROWS };
    });
    await commitSnapshot({ catalog, lake }, staged);
    const { snapshot, path } = await readableSnapshot({ catalog, lake }, tenantId, target.productId);

    const columns = [
      'customer_id:string:pk',
      'points:integer',
      'balance:decimal(12,2)',
      'since:date',
      'segment',
      'email',
    ].map((spec) => {
      const [name, type, pk] = spec.split(':');
      const parsed = parseColumnType(type ?? 'string');
      return {
        name,
        type: type ?? 'string',
        engine_type: duckType(parsed.type),
        primary_key: pk === 'pk',
        nullable: pk !== 'pk',
      };
    });
    const ctx = {
      tenant: null,
      product,
      major: '1',
      columns: columns.map((c) => ({ ...c, parsed: parseColumnType(c.type).type })),
    };
    const writers = {
      lookup: servingWriter('lookup', {}, ctx),
      realtime: servingWriter(
        'realtime',
        { key_template: 'member:{customer_id}', ttl: '1h', include_columns: ['points', 'segment'] },
        ctx,
      ),
    };
    const stores = { lookup: new PostgresServingStore(db, 'lookup'), realtime };
    const engine = new DuckDbCheckEngine();

    // Heap: a gc'd baseline, then the peak of samples every 2 ms and at every batch.
    gc();
    gc();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sample = () => {
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      if (m.rss > peakRss) peakRss = m.rss;
    };
    const timer = setInterval(sample, 2);
    const started = performance.now();
    let source;
    let batches = 0;
    if (mode === 'before') {
      const session = await engine.open([{ name: 'snapshot', path }]);
      let json;
      try {
        json = (await session.query('SELECT * FROM "snapshot"')).json;
      } finally {
        session.close();
      }
      sample();
      source = {
        async *batches() {
          for (let i = 0; i < json.length; i += 1000) {
            batches++;
            sample();
            yield json.slice(i, i + 1000);
          }
        },
      };
    } else {
      const streamed = snapshotBatches(engine, path, BATCH);
      source = {
        async *batches(signal) {
          for await (const batch of streamed.batches(signal)) {
            batches++;
            sample();
            yield batch;
          }
        },
      };
    }
    const endpoints = {};
    for (const type of ['lookup', 'realtime']) {
      const t0 = performance.now();
      const result = await stores[type].project({
        tenantId,
        product,
        version: '1.0.0',
        snapshotId: snapshot.id,
        committedAt: new Date(snapshot.committedAt ?? snapshot.updatedAt),
        path,
        columns,
        writer: writers[type],
        rows: source,
      });
      if (result.status !== 'served') throw new Error(`${type}: ${result.status} ${result.message ?? ''}`);
      endpoints[type] = { written: result.written, ms: Math.round(performance.now() - t0) };
    }
    clearInterval(timer);
    sample();
    return {
      mode,
      ...(mode === 'after' ? { batch_rows: BATCH ?? SNAPSHOT_BATCH_ROWS } : {}),
      batches,
      total_ms: Math.round(performance.now() - started),
      endpoints,
      baseline_heap_mb: mb(baseline.heapUsed),
      peak_heap_growth_mb: mb(peakHeap - baseline.heapUsed),
      peak_rss_growth_mb: mb(peakRss - baseline.rss),
    };
  } finally {
    await realtime.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `hekima:${tenantId}:*`, 'COUNT', 10_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}_serving" CASCADE`));
    await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
