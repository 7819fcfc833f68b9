import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresServingStore } from '../../platform-core/src/adapters/postgres/serving/postgres-serving-store.js';
import { RedisServingStore } from '../../platform-core/src/adapters/redis/redis-serving-store.js';
import type { ServedRow, ServedRowSource } from '../../platform-core/src/ports/serving-store.js';
import { activeTenant } from '../catalog/contract/contract-context.js';
import { openPgliteCatalog, type TestCatalog } from '../catalog/support/test-databases.js';
import { planColumns, projection, writerFor } from './support/serving-fixtures.js';

const REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';
const columns = planColumns('customer_id:string:pk', 'segment');
const row = (i: number, segment: string): ServedRow => ({ customer_id: `C${i}`, segment });

/** Two good batches, then the read fails (a snapshot file that turns out unreadable mid-way). */
function failingAfterTwo(segment: string): ServedRowSource {
  return {
    async *batches() {
      yield await Promise.resolve([row(1, segment), row(2, segment)]);
      yield [row(3, segment)];
      throw new Error('snapshot read failed: corrupt page');
    },
  };
}

describe('a snapshot read that fails part-way through a projection', () => {
  let t: TestCatalog;
  let tenant: string;
  let redis: Redis;
  beforeAll(async () => {
    t = await openPgliteCatalog();
    tenant = (await activeTenant(t, `failing-${Math.random().toString(36).slice(2, 8)}`)).id;
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`hekima:${tenant}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await t?.cleanup();
  });

  it('lookup: the transaction rolls back, the previous projection stays whole', async () => {
    const lookup = new PostgresServingStore(t.db, 'lookup');
    const writer = writerFor('lookup', 'members', columns);
    const first = [row(1, 'gold'), row(2, 'gold'), row(3, 'gold'), row(4, 'gold')];
    await lookup.project(projection(tenant, S1, '2026-11-01T00:00:00Z', writer, columns, first, 'members'));
    await expect(
      lookup.project({
        ...projection(tenant, S2, '2026-11-02T00:00:00Z', writer, columns, [], 'members'),
        rows: failingAfterTwo('silver'),
      }),
    ).rejects.toThrow(/corrupt page/);
    const read = await lookup.read({
      tenantId: tenant,
      product: 'members',
      version: '1.0.0',
      columns,
      writer,
      filters: [],
      masked: [],
      limit: 10,
    });
    expect(read.rows).toEqual(first);
  });

  it('realtime: the error is the read\'s, the circuit stays closed (Redis is not "down")', async () => {
    const store = new RedisServingStore({ url: REDIS_URL });
    try {
      const writer = writerFor('realtime', 'members', columns, { key_template: 'member:{customer_id}', ttl: '1h' });
      await expect(
        store.project({
          ...projection(tenant, S1, '2026-11-01T00:00:00Z', writer, columns, [], 'members'),
          rows: failingAfterTwo('silver'),
        }),
      ).rejects.toThrow(/corrupt page/);
      expect(store.circuit).toBe('closed');
      // The next projection is attempted (not short-circuited as degraded) and serves.
      const ok = await store.project(
        projection(tenant, S2, '2026-11-02T00:00:00Z', writer, columns, [row(1, 'gold')], 'members'),
      );
      expect(ok).toMatchObject({ status: 'served', written: 1 });
      expect(JSON.parse((await redis.get(`hekima:${tenant}:members:v1:member:C1`)) ?? 'null')).toEqual({
        customer_id: 'C1',
        segment: 'gold',
      });
    } finally {
      await store.close();
    }
  });
});
