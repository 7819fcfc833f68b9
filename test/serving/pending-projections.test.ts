import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbAnalyticsStore } from '../../platform-core/src/adapters/duckdb/duckdb-analytics-store.js';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { FsLake } from '../../platform-core/src/adapters/fs-lake/fs-lake.js';
import { PostgresServingStore } from '../../platform-core/src/adapters/postgres/serving/postgres-serving-store.js';
import { RedisServingStore } from '../../platform-core/src/adapters/redis/redis-serving-store.js';
import { commitSnapshot } from '../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot, type SnapshotTarget } from '../../platform-core/src/application/lake/write-snapshot.js';
import {
  followPendingProjections,
  retryPendingProjections,
} from '../../platform-core/src/application/serving/pending-projections.js';
import { projectSnapshot, type ServingDeps } from '../../platform-core/src/application/serving/project-snapshot.js';
import type { ProductPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import { activeTenant, sha256 } from '../catalog/contract/contract-context.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { writeParquet } from '../quality/support/parquet.js';
import { planColumns, writerFor } from './support/serving-fixtures.js';

const REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PRODUCT = 'loyalty-balance';
const columns = planColumns('customer_id:string:pk', 'segment', 'points:integer');
const plan = {
  product: { name: PRODUCT, version: '1.0.0', classification: 'internal', domain: null, folder: PRODUCT },
  output: { relation: 'output', columns, format: 'parquet', partitioning: [] },
  serving: [
    writerFor('realtime', PRODUCT, columns, {
      key_template: 'customer:{customer_id}',
      ttl: '1h',
      include_columns: ['segment', 'points'],
    }),
    writerFor('analytics', PRODUCT, columns),
  ],
} as unknown as ProductPlan;

/** A port nothing listens on: Redis "down". */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return `redis://127.0.0.1:${port}`;
}

for (const [label, open] of [
  ['PGlite', openPgliteCatalog],
  ['PostgreSQL', () => openPostgresCatalog('pending')],
] as const) {
  describe(`durable retry of degraded projections (${label} catalog, real Redis)`, () => {
    let t: TestCatalog;
    let root: string;
    let tenantId: string;
    let target: SnapshotTarget;
    let redis: Redis;
    let downUrl: string;
    // Each "process" gets its own stores: nothing survives in memory from one to the next.
    const stores: RedisServingStore[] = [];
    const depsWith = (url: string): ServingDeps => {
      const realtime = new RedisServingStore({ url, timeoutMs: 500 });
      stores.push(realtime);
      return {
        catalog: t.catalog,
        lake: new FsLake(root),
        checkEngine: new DuckDbCheckEngine(),
        stores: {
          lookup: new PostgresServingStore(t.db, 'lookup'),
          timeseries: new PostgresServingStore(t.db, 'timeseries'),
          realtime,
          analytics: new DuckDbAnalyticsStore(),
        },
      };
    };
    const commit = async (rows: string) => {
      const deps = depsWith(downUrl);
      const staged = await writeSnapshot(deps, target, async (temp) => {
        await writeParquet(temp, `SELECT * FROM (VALUES ${rows}) AS t(customer_id, segment, points)`);
        return { rowCount: 2 };
      });
      return (await commitSnapshot(deps, staged)).snapshot;
    };
    const key = (id: string) => `hekima:${tenantId}:${PRODUCT}:v1:customer:${id}`;
    const pending = () => t.catalog.forTenant(tenantId).pendingProjections.list();

    beforeAll(async () => {
      t = await open();
      root = await mkdtemp(join(tmpdir(), 'hekima-pending-'));
      redis = new Redis(REDIS_URL);
      downUrl = await closedPort();
      tenantId = (await activeTenant(t, `pending-${Math.random().toString(36).slice(2, 8)}`)).id;
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
      for (const s of stores) await s.close();
      const keys = redis ? await redis.keys(`hekima:${tenantId}:*`) : [];
      if (keys.length > 0) await redis.del(...keys);
      await redis?.quit();
      await t?.cleanup();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('Redis down: the run succeeds degraded and the projection is kept; Redis back: a later pass writes the keys', async () => {
      const first = await commit(`('C1', 'gold', 120), ('C2', 'silver', 40)`);
      const report = await projectSnapshot(depsWith(downUrl), { tenantId, productId: target.productId, plan });
      expect(report.promoted).toBe(false);
      expect(report.endpoints).toEqual([
        expect.objectContaining({ endpoint: 'realtime', status: 'degraded', written: 0 }),
        expect.objectContaining({ endpoint: 'analytics', status: 'served' }),
      ]);
      expect(await pending()).toEqual([
        expect.objectContaining({
          productId: target.productId,
          endpoint: 'realtime',
          product: PRODUCT,
          snapshotId: first.id,
          attempts: 0,
          lastError: expect.stringContaining('Redis is unavailable'),
        }),
      ]);

      // Still down on the next pass: the entry stays, one more attempt counted.
      expect(await retryPendingProjections(depsWith(downUrl), tenantId)).toEqual([
        expect.objectContaining({ status: 'degraded', snapshotId: first.id, promoted: false }),
      ]);
      expect((await pending())[0]?.attempts).toBe(1);
      expect(await redis.exists(key('C1'))).toBe(0);

      // Redis back (a new process pointing at the real Redis): the keys appear.
      expect(await retryPendingProjections(depsWith(REDIS_URL), tenantId)).toEqual([
        { product: PRODUCT, endpoint: 'realtime', snapshotId: first.id, status: 'served', written: 2, promoted: true },
      ]);
      expect(JSON.parse((await redis.get(key('C1'))) ?? 'null')).toEqual({ segment: 'gold', points: 120 });
      expect(JSON.parse((await redis.get(key('C2'))) ?? 'null')).toEqual({ segment: 'silver', points: 40 });
      expect(await redis.ttl(key('C1'))).toBeGreaterThan(3000);
      expect(await pending()).toEqual([]);
      expect((await t.catalog.forTenant(tenantId).snapshots.get(first.id))?.state).toBe('promoted');
      expect(await retryPendingProjections(depsWith(REDIS_URL), tenantId)).toEqual([]);
    });

    it('keeps only the newest snapshot, and never projects an older one over a newer one', async () => {
      const older = await commit(`('C1', 'gold', 200), ('C2', 'silver', 50)`);
      await projectSnapshot(depsWith(downUrl), { tenantId, productId: target.productId, plan });
      const newer = await commit(`('C1', 'platinum', 300), ('C2', 'silver', 60)`);
      await projectSnapshot(depsWith(downUrl), { tenantId, productId: target.productId, plan });
      expect((await pending()).map((p) => p.snapshotId)).toEqual([newer.id]);
      // A late writer recording the older snapshot changes nothing.
      const repo = t.catalog.forTenant(tenantId).pendingProjections;
      const late = await repo.record({
        productId: target.productId,
        endpoint: 'realtime',
        product: PRODUCT,
        version: '1.0.0',
        snapshotId: older.id,
        committedAt: older.committedAt!,
        request: { columns, writer: plan.serving[0] } as never,
      });
      expect(late).toBeUndefined();
      expect((await pending()).map((p) => p.snapshotId)).toEqual([newer.id]);
      expect(await retryPendingProjections(depsWith(REDIS_URL), tenantId)).toEqual([
        expect.objectContaining({ snapshotId: newer.id, status: 'served', written: 2 }),
      ]);
      expect(JSON.parse((await redis.get(key('C1'))) ?? 'null')).toEqual({ segment: 'platinum', points: 300 });

      // An entry whose snapshot is no longer the current one is dropped, never written.
      const served = await commit(`('C1', 'diamond', 400), ('C2', 'silver', 70)`);
      const ok = await projectSnapshot(depsWith(REDIS_URL), { tenantId, productId: target.productId, plan });
      expect(ok).toMatchObject({ snapshotId: served.id, promoted: true });
      await repo.record({
        productId: target.productId,
        endpoint: 'realtime',
        product: PRODUCT,
        version: '1.0.0',
        snapshotId: newer.id,
        committedAt: newer.committedAt!,
        request: { columns, writer: plan.serving[0] } as never,
      });
      expect(await retryPendingProjections(depsWith(REDIS_URL), tenantId)).toEqual([
        expect.objectContaining({ snapshotId: newer.id, status: 'superseded', written: 0 }),
      ]);
      expect(JSON.parse((await redis.get(key('C1'))) ?? 'null')).toEqual({ segment: 'diamond', points: 400 });
      expect(await pending()).toEqual([]);
    });

    it("is tenant-scoped: another tenant neither sees nor drains this tenant's pending projections", async () => {
      await commit(`('C1', 'gold', 1), ('C2', 'gold', 2)`);
      await projectSnapshot(depsWith(downUrl), { tenantId, productId: target.productId, plan });
      const other = (await activeTenant(t, `pending-other-${Math.random().toString(36).slice(2, 8)}`)).id;
      expect(await t.catalog.forTenant(other).pendingProjections.list()).toEqual([]);
      expect(await retryPendingProjections(depsWith(REDIS_URL), other)).toEqual([]);
      expect(await pending()).toHaveLength(1);
    });

    it('the worker loop drains the pending projections of every ACTIVE tenant', async () => {
      expect(await pending()).toHaveLength(1);
      const stop = new AbortController();
      let passes = 0;
      const clock = { sleep: async () => void (++passes, stop.abort()) };
      await followPendingProjections(depsWith(REDIS_URL), { clock }, stop.signal);
      expect(passes).toBe(1);
      expect(await pending()).toEqual([]);
      expect(JSON.parse((await redis.get(key('C2'))) ?? 'null')).toEqual({ segment: 'gold', points: 2 });
    });
  });
}
