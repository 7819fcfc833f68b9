import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisabledRealtimeStore } from '../../platform-core/src/adapters/redis/disabled-realtime-store.js';
import { RedisServingStore } from '../../platform-core/src/adapters/redis/redis-serving-store.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { planColumns, projection, writerFor } from './support/serving-fixtures.js';

const REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const tenant = crypto.randomUUID();
const S1 = '00000000-0000-4000-8000-000000000001';
const columns = planColumns('outlet_id:string:pk', 'sale_date:date:pk', 'total_revenue:decimal(18,2)', 'manager_email');
const writer = writerFor('realtime', 'daily-sales', columns, {
  key_template: 'outlet:{outlet_id}:daily:{sale_date}',
  ttl: '24h',
  include_columns: ['outlet_id', 'sale_date', 'total_revenue'],
});
const rows = [
  { outlet_id: 'O1', sale_date: '2026-11-01', total_revenue: '10.50', manager_email: 'a@x.io' },
  { outlet_id: 'O2', sale_date: '2026-11-01', total_revenue: '7.00', manager_email: 'b@x.io' },
];
const request = projection(tenant, S1, '2026-11-01T00:00:00Z', writer, columns, rows, 'daily-sales');

/** A TCP port that refuses connections until `up()` forwards it to the real Redis. */
async function switchableRedis(): Promise<{
  url: string;
  up(): Promise<void>;
  down(): Promise<void>;
  /** Connections accepted since `up`. */
  connections(): number;
}> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const target = new URL(REDIS_URL);
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let accepted = 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => accepted,
    up: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          accepted++;
          const upstream = connect(Number(target.port || 6379), target.hostname);
          sockets.add(client).add(upstream);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        });
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    down: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    },
  };
}

describe('realtime serving in Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`hekima:${tenant}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('writes one key per row under the tenant prefix, with TTL and only include_columns', async () => {
    const store = new RedisServingStore({ url: REDIS_URL });
    try {
      const result = await store.project(request);
      const prefix = `hekima:${tenant}:daily-sales:v1:`;
      expect(result).toEqual({ endpoint: 'realtime', status: 'served', written: 2, retired: 0, target: `${prefix}*` });
      expect((await redis.keys(`hekima:${tenant}:*`)).sort()).toEqual([
        `${prefix}outlet:O1:daily:2026-11-01`,
        `${prefix}outlet:O2:daily:2026-11-01`,
      ]);
      expect(JSON.parse((await redis.get(`${prefix}outlet:O1:daily:2026-11-01`))!)).toEqual({
        outlet_id: 'O1',
        sale_date: '2026-11-01',
        total_revenue: '10.50',
      });
      const ttl = await redis.ttl(`${prefix}outlet:O2:daily:2026-11-01`);
      expect(ttl).toBeGreaterThan(86_300);
      expect(ttl).toBeLessThanOrEqual(86_400);
      const read = await store.read({
        tenantId: tenant,
        product: 'daily-sales',
        version: '1.0.0',
        columns,
        writer,
        filters: [
          { column: 'outlet_id', value: 'O2' },
          { column: 'sale_date', value: '2026-11-01' },
        ],
        masked: ['total_revenue'],
        limit: 10,
      });
      expect(read.rows).toEqual([{ outlet_id: 'O2', sale_date: '2026-11-01', total_revenue: MASKED }]);
      await expect(
        store.read({
          tenantId: tenant,
          product: 'daily-sales',
          version: '1.0.0',
          columns,
          writer,
          filters: [],
          masked: [],
          limit: 10,
        }),
      ).rejects.toMatchObject({ code: 'filter_incomplete_key' });
    } finally {
      await store.close();
    }
  });

  it('composite keys with ":" and "\\" in values, and NULL, never collide: each row keeps its own key', async () => {
    const keyColumns = planColumns('a:string:pk', 'b:string:pk', 'n:integer');
    const plain = writerFor('realtime', 'colliding', keyColumns, { include_columns: ['a', 'b', 'n'] });
    const tricky = [
      { a: 'a:b', b: 'c', n: 1 },
      { a: 'a', b: 'b:c', n: 2 },
      { a: 'x', b: null, n: 3 },
      { a: 'x', b: '', n: 4 },
      { a: 'x\\', b: 'y', n: 5 },
      { a: 'x', b: '\\:y', n: 6 },
    ];
    const store = new RedisServingStore({ url: REDIS_URL });
    try {
      const result = await store.project(
        projection(tenant, S1, '2026-11-01T00:00:00Z', plain, keyColumns, tricky, 'colliding'),
      );
      expect(result).toMatchObject({ status: 'served', written: tricky.length });
      const prefix = `hekima:${tenant}:colliding:v1:`;
      const keys = await redis.keys(`${prefix}*`);
      expect(keys).toHaveLength(tricky.length);
      expect(JSON.parse((await redis.get(`${prefix}a\\:b:c`))!)).toMatchObject({ n: 1 });
      expect(JSON.parse((await redis.get(`${prefix}a:b\\:c`))!)).toMatchObject({ n: 2 });
      expect(JSON.parse((await redis.get(`${prefix}x:\\N`))!)).toMatchObject({ n: 3 });
      expect(JSON.parse((await redis.get(`${prefix}x:`))!)).toMatchObject({ n: 4 });
      // A reader looks a row up by its values (filters are text: not NULL) and gets exactly that row.
      for (const row of tricky) {
        if (row.b === null) continue;
        const read = await store.read({
          tenantId: tenant,
          product: 'colliding',
          version: '1.0.0',
          columns: keyColumns,
          writer: plain,
          filters: [
            { column: 'a', value: row.a },
            { column: 'b', value: row.b },
          ],
          masked: [],
          limit: 10,
        });
        expect(read.rows).toEqual([row]);
      }
    } finally {
      await store.close();
    }
  });

  it('circuit breaker: Redis down → degraded at once while open; Redis back → the next attempt serves', async () => {
    const net = await switchableRedis();
    let now = 0;
    const store = new RedisServingStore({ url: net.url, cooldownMs: 1000, timeoutMs: 500, now: () => now });
    const other = { ...request, product: 'daily-sales-b' };
    try {
      const down = await store.project(other);
      expect(down).toMatchObject({ endpoint: 'realtime', status: 'degraded', written: 0 });
      expect(down.message).toMatch(/Redis is unavailable .*realtime serving is degraded, retried in 1s/);
      expect(store.circuit).toBe('open');
      await net.up();
      // While open, no attempt is made at all (even though Redis is back): not one connection.
      expect(await store.project(other)).toMatchObject({ status: 'degraded' });
      expect(net.connections()).toBe(0);
      expect(await redis.exists(`hekima:${tenant}:daily-sales-b:v1:outlet:O1:daily:2026-11-01`)).toBe(0);
      now = 1000;
      expect(store.circuit).toBe('half-open');
      expect(await store.project(other)).toMatchObject({ status: 'served', written: 2 });
      expect(store.circuit).toBe('closed');
      expect(net.connections()).toBeGreaterThan(0); // the count sees a real attempt
      expect(await redis.exists(`hekima:${tenant}:daily-sales-b:v1:outlet:O1:daily:2026-11-01`)).toBe(1);
    } finally {
      await store.close();
      await net.down();
    }
  });

  it('embedded mode without Redis says plainly that realtime serving is off', async () => {
    const result = await new DisabledRealtimeStore().project(request);
    expect(result).toMatchObject({ status: 'off', written: 0 });
    expect(result.message).toMatch(/Realtime serving is off: no Redis is configured/);
  });
});
