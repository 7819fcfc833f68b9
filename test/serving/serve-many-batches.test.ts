import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbAnalyticsStore } from '../../platform-core/src/adapters/duckdb/duckdb-analytics-store.js';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { FsLake } from '../../platform-core/src/adapters/fs-lake/fs-lake.js';
import { PostgresDatabase } from '../../platform-core/src/adapters/postgres/postgres-database.js';
import { PostgresServingStore } from '../../platform-core/src/adapters/postgres/serving/postgres-serving-store.js';
import { RedisServingStore } from '../../platform-core/src/adapters/redis/redis-serving-store.js';
import { commitSnapshot } from '../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot, type SnapshotTarget } from '../../platform-core/src/application/lake/write-snapshot.js';
import { projectSnapshot, type ServingDeps } from '../../platform-core/src/application/serving/project-snapshot.js';
import { SNAPSHOT_BATCH_ROWS } from '../../platform-core/src/application/serving/snapshot-rows.js';
import type { Snapshot } from '../../platform-core/src/domain/lake/snapshot.js';
import type { ProductPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import type { CheckEngine } from '../../platform-core/src/ports/check-engine.js';
import { activeTenant, sha256 } from '../catalog/contract/contract-context.js';
import { openPostgresCatalog, TEST_DATABASE_URL, type TestCatalog } from '../catalog/support/test-databases.js';
import { writeParquet } from '../quality/support/parquet.js';
import { planColumns, writerFor } from './support/serving-fixtures.js';

const REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PRODUCT = 'member-balance';
const FIRST = 25_000; // five full batches of SNAPSHOT_BATCH_ROWS
const columns = planColumns(
  'customer_id:string:pk',
  'points:integer',
  'balance:decimal(12,2)',
  'since:date',
  'segment',
);
const current = writerFor('lookup', PRODUCT, columns);
const history = writerFor('lookup', `${PRODUCT}-history`, columns, {
  history_mode: 'type_2',
  tracked_columns: ['segment'],
});
const realtime = writerFor('realtime', PRODUCT, columns, {
  key_template: 'member:{customer_id}',
  ttl: '1h',
  include_columns: ['points', 'balance', 'segment'],
});
const planOf = (...serving: unknown[]) =>
  ({
    product: { name: PRODUCT, version: '1.0.0', classification: 'internal', domain: null, folder: PRODUCT },
    output: { relation: 'output', columns, format: 'parquet', partitioning: [] },
    serving,
  }) as unknown as ProductPlan;

// Snapshot 2 drops every key ending in 3 and the keys on both sides of the first batch boundary
// and the last key; changes `segment` (tracked) of every fifth key and `points` (untracked) of
// all; adds 500 keys.
const DROPPED = new Set([4999, 5000, FIRST - 1]);
const inSecond = (i: number) => i >= FIRST || (i % 10 !== 3 && !DROPPED.has(i));
const ids = (gen: 1 | 2) =>
  gen === 1 ? [...Array(FIRST).keys()] : [...Array(FIRST + 500).keys()].filter((i) => inSecond(i));
const id = (i: number) => `C${String(i).padStart(6, '0')}`;
const segmentOf = (i: number, gen: 1 | 2) =>
  gen === 2 && i % 5 === 0 ? 'platinum' : (['gold', 'silver', 'bronze'][i % 3] ?? '');
/** A row as PostgreSQL gives it back as text (exact BIGINT beyond 2^53, DECIMAL scale kept). */
const expected = (i: number, gen: 1 | 2) => ({
  customer_id: id(i),
  points: String(BigInt(i) * 1_000_000_000_001n + (gen === 2 ? 1n : 0n)),
  balance: `${Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`,
  since: new Date(Date.UTC(2020, 0, 1 + (i % 1000))).toISOString().slice(0, 10),
  segment: segmentOf(i, gen),
});
const snapshotSql = (gen: 1 | 2) => `
  SELECT 'C' || lpad(i::VARCHAR, 6, '0') AS customer_id,
    i::BIGINT * 1000000000001 + ${gen === 2 ? 1 : 0} AS points,
    CAST((i // 100)::VARCHAR || '.' || lpad((i % 100)::VARCHAR, 2, '0') AS DECIMAL(12,2)) AS balance,
    DATE '2020-01-01' + (i % 1000) AS since,
    CASE WHEN ${gen === 2 ? 'i % 5 = 0' : 'false'} THEN 'platinum'
         ELSE ['gold', 'silver', 'bronze'][i % 3 + 1] END AS segment
  FROM (SELECT range::INTEGER AS i FROM range(${gen === 1 ? FIRST : FIRST + 500}))
  WHERE ${gen === 1 ? 'true' : `i >= ${FIRST} OR (i % 10 <> 3 AND i NOT IN (${[...DROPPED].join(', ')}))`}
  ORDER BY i`;

/** The real engine: counts the reads and runs `between` after the first batch of each is consumed. */
function observed(between: () => Promise<void>): CheckEngine & { reads: number; batches: number[] } {
  const duck = new DuckDbCheckEngine();
  const engine = {
    reads: 0,
    batches: [] as number[],
    async open(...args: Parameters<CheckEngine['open']>) {
      const session = await duck.open(...args);
      return {
        ...session,
        query: session.query.bind(session),
        close: () => session.close(),
        async *stream(sql: string, batchRows: number, signal?: AbortSignal) {
          engine.reads++;
          let n = 0;
          for await (const batch of session.stream(sql, batchRows, signal)) {
            engine.batches.push(batch.length);
            yield batch;
            if (++n === 1) await between();
          }
        },
      };
    },
  };
  return engine;
}

describe(`serving a snapshot larger than one batch (${FIRST} rows; PostgreSQL lookup, Redis realtime)`, () => {
  let t: TestCatalog;
  let outside: PostgresDatabase;
  let root: string;
  let redis: Redis;
  let tenantId: string;
  let target: SnapshotTarget;
  let lookup: PostgresServingStore;
  let store: RedisServingStore;
  const seen: unknown[][] = [];
  let engine: ReturnType<typeof observed>;

  const table = (name: string) => `"${lookup.schema}"."${name}"`;
  const servedRows = (name: string, extra = '') =>
    outside.admin.transaction(async (sql) => {
      await sql.exec(`SET LOCAL TimeZone = 'UTC'`);
      const r = await sql.query(
        `SELECT customer_id, points::text AS points, balance::text AS balance, since::text AS since, segment${extra}
         FROM ${table(name)} WHERE tenant_id = $1 ORDER BY customer_id${extra ? ', valid_from' : ''}`,
        [tenantId],
      );
      return r.rows;
    });
  const deps = (): ServingDeps => ({
    catalog: t.catalog,
    lake: new FsLake(root),
    checkEngine: engine,
    stores: {
      lookup,
      timeseries: new PostgresServingStore(t.db, 'timeseries'),
      realtime: store,
      analytics: new DuckDbAnalyticsStore(),
    },
  });
  const commit = async (gen: 1 | 2): Promise<Snapshot> => {
    const staged = await writeSnapshot(deps(), target, async (temp) => {
      await writeParquet(temp, snapshotSql(gen));
      return { rowCount: ids(gen).length };
    });
    return (await commitSnapshot(deps(), staged)).snapshot;
  };
  const key = (i: number) => `hekima:${tenantId}:${PRODUCT}:v1:member:${id(i)}`;

  beforeAll(async () => {
    t = await openPostgresCatalog('batches');
    outside = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema: t.db.schema, poolSize: 1 });
    root = await mkdtemp(join(tmpdir(), 'hekima-batches-'));
    redis = new Redis(REDIS_URL);
    lookup = new PostgresServingStore(t.db, 'lookup');
    store = new RedisServingStore({ url: REDIS_URL });
    tenantId = (await activeTenant(t, `batches-${Math.random().toString(36).slice(2, 8)}`)).id;
    target = await t.catalog.transaction(tenantId, async (tx) => {
      const product = await tx.products.register({ name: PRODUCT });
      const version = await tx.products.addVersion({
        productId: product.id,
        version: '1.0.0',
        manifests: {},
        manifestHash: sha256(PRODUCT),
      });
      return { tenantId, productId: product.id, productVersionId: version.id, product: PRODUCT, version: '1.0.0' };
    });
  });
  afterAll(async () => {
    await store?.close();
    if (redis) {
      const keys = await redis.keys(`hekima:${tenantId}:*`);
      for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
      await redis.quit();
    }
    await outside?.close();
    await t?.db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${lookup.schema}" CASCADE`));
    await t?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const during = () => async () => {
    // Runs after the first batch of the lookup read is written, inside the open transaction.
    if (engine.reads === 1) seen.push(await servedRows('lookup_member_balance_v1'));
  };

  it('first snapshot: every row exactly, in batches of the default size, one read per endpoint', async () => {
    engine = observed(during());
    await commit(1);
    const r1 = await projectSnapshot(deps(), {
      tenantId,
      productId: target.productId,
      plan: planOf(current, realtime),
    });
    expect(r1.endpoints).toEqual([
      expect.objectContaining({ endpoint: 'lookup', status: 'served', written: FIRST, retired: 0 }),
      expect.objectContaining({ endpoint: 'realtime', status: 'served', written: FIRST }),
    ]);
    expect(engine.reads).toBe(2);
    expect(engine.batches).toEqual(Array<number>(10).fill(SNAPSHOT_BATCH_ROWS));
    expect(await servedRows('lookup_member_balance_v1')).toEqual(ids(1).map((i) => expected(i, 1)));
    const h1 = await projectSnapshot(deps(), { tenantId, productId: target.productId, plan: planOf(history) });
    expect(h1.endpoints).toEqual([expect.objectContaining({ status: 'served', written: FIRST, retired: 0 })]);
  }, 60_000);

  it('second snapshot: exact values at the batch boundaries, absent keys retired, the table switched at once', async () => {
    const s2 = await commit(2);
    engine = observed(during());
    const second = ids(2);
    const r2 = await projectSnapshot(deps(), {
      tenantId,
      productId: target.productId,
      plan: planOf(current, realtime),
    });
    expect(r2).toMatchObject({ snapshotId: s2.id, promoted: true });
    expect(r2.endpoints).toEqual([
      expect.objectContaining({ status: 'served', written: second.length, retired: FIRST - (second.length - 500) }),
      expect.objectContaining({ status: 'served', written: second.length }),
    ]);
    expect(engine.batches).toEqual([5000, 5000, 5000, 5000, 2997, 5000, 5000, 5000, 5000, 2997]);
    // A reader on another connection saw the first snapshot in full while the second was being
    // written (after its first batch), then the second: one transaction per projection.
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual(ids(1).map((i) => expected(i, 1)));
    const rows = await servedRows('lookup_member_balance_v1');
    expect(rows).toEqual(second.map((i) => expected(i, 2)));
    for (const at of [4999, 5000, 9999, 10_000, 19_999, 20_000, second.length - 1])
      expect(rows[at]).toEqual(expected(second[at]!, 2));
    const served = new Set(rows.map((r) => r['customer_id']));
    for (const i of [3, 4999, 5000, 24_993, FIRST - 1]) expect(served.has(id(i))).toBe(false);

    // Redis: every key of the second snapshot holds its include_columns; a key absent from it is
    // not deleted but expires by its TTL (the realtime store's documented retirement).
    for (let at = 0; at < second.length; at += 5000) {
      const chunk = second.slice(at, at + 5000);
      const values = await redis.mget(...chunk.map(key));
      expect(values.map((v) => JSON.parse(v ?? 'null') as unknown)).toEqual(
        chunk.map((i) => {
          const { points, balance, segment } = expected(i, 2);
          return { points, balance, segment };
        }),
      );
    }
    for (const i of DROPPED) {
      const ttl = await redis.ttl(key(i));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);
    }
  }, 60_000);

  it('type_2 over many batches: tracked changes open rows, absent keys are closed, untracked changes update in place', async () => {
    const second = ids(2);
    const kept = second.filter((i) => i < FIRST);
    const retracked = kept.filter((i) => i % 5 === 0);
    const h2 = await projectSnapshot(deps(), { tenantId, productId: target.productId, plan: planOf(history) });
    expect(h2.endpoints).toEqual([
      expect.objectContaining({ status: 'served', written: 500 + retracked.length, retired: FIRST - kept.length }),
    ]);
    const rows = await servedRows('lookup_member_balance_history_v1', ', is_current, valid_to IS NULL AS open');
    expect(rows).toHaveLength(FIRST + 500 + retracked.length);
    const currentRows = rows.filter((r) => r['is_current'] === true);
    expect(currentRows.map(({ is_current: _c, open: _o, ...r }) => r)).toEqual(second.map((i) => expected(i, 2)));
    const of = (i: number) => rows.filter((r) => r['customer_id'] === id(i));
    // Absent keys at a batch boundary and the last one: their only row is closed.
    for (const i of [4999, 5000, 3, FIRST - 1])
      expect(of(i)).toEqual([{ ...expected(i, 1), is_current: false, open: false }]);
    // A tracked change at a boundary (10000): the old row closed, a new one current.
    expect(of(10_000)).toEqual([
      { ...expected(10_000, 1), is_current: false, open: false },
      { ...expected(10_000, 2), is_current: true, open: true },
    ]);
    // An untracked change (points) at a boundary: updated in place, one row.
    expect(of(9999)).toEqual([{ ...expected(9999, 2), is_current: true, open: true }]);
    expect(of(FIRST + 499)).toEqual([{ ...expected(FIRST + 499, 2), is_current: true, open: true }]);
  }, 60_000);
});
