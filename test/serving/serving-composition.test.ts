import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSnapshot } from '../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot } from '../../platform-core/src/application/lake/write-snapshot.js';
import { projectSnapshot } from '../../platform-core/src/application/serving/project-snapshot.js';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import type { ProductPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import type { Logger } from '../../platform-core/src/ports/logger.js';
import { writeParquet } from '../quality/support/parquet.js';
import { planColumns, writerFor } from './support/serving-fixtures.js';

const REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const columns = planColumns('sensor_id:string:pk', 'reading_at:timestamp:pk', 'value:float');
const plan = {
  product: { name: 'readings', version: '1.0.0', classification: 'internal' },
  output: { columns },
  serving: [
    writerFor('timeseries', 'readings', columns, { time_column: 'reading_at' }),
    writerFor('realtime', 'readings', columns, { key_template: 'sensor:{sensor_id}', ttl: '1h' }),
  ],
} as unknown as ProductPlan;

/** The composition root's serving stores: embedded without Redis, and with Redis configured. */
describe.each([
  ['embedded without Redis', {}],
  ['with HEKIMA_REDIS_URL', { HEKIMA_REDIS_URL: REDIS_URL }],
])('serving stores from createPlatform (%s)', (_label, env) => {
  let dir: string;
  let platform: Platform;
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (m, meta) => lines.push(`${m} ${JSON.stringify(meta)}`),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
    child: () => logger,
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-serving-'));
    platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: dir }), logger });
  });
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('projects a timeseries (saying how it is stored) and realtime (served, or plainly off)', async () => {
    const catalog = await platform.catalog();
    const tenant = await resolveWorkspaceTenant(catalog, 'sensors-co', { provision: true });
    const target = await catalog.transaction(tenant.id, async (tx) => {
      const product = await tx.products.register({ name: 'readings' });
      return { tenantId: tenant.id, productId: product.id, product: 'readings', version: '1.0.0' };
    });
    const deps = {
      catalog,
      lake: platform.lake(),
      checkEngine: platform.checkEngine,
      stores: await platform.servingStores(),
      logger,
    };
    const staged = await writeSnapshot(deps, target, async (temp) => {
      await writeParquet(
        temp,
        `SELECT 'S1' AS sensor_id, TIMESTAMP '2026-11-01 10:00:00' AS reading_at, 1.5::DOUBLE AS value`,
      );
      return { rowCount: 1 };
    });
    await commitSnapshot(deps, staged);
    const report = await projectSnapshot(deps, { tenantId: tenant.id, productId: target.productId, plan });
    expect(report.endpoints[0]).toMatchObject({
      endpoint: 'timeseries',
      status: 'served',
      written: 1,
      storage: 'brin',
    });
    expect(lines.some((l) => l.startsWith('serving timeseries: served') && l.includes('"storage":"brin"'))).toBe(true);
    if ('HEKIMA_REDIS_URL' in env) {
      expect(report.endpoints[1]).toMatchObject({
        endpoint: 'realtime',
        status: 'served',
        written: 1,
        target: `hekima:${tenant.id}:readings:v1:*`,
      });
      expect(report.promoted).toBe(true);
    } else {
      expect(report.endpoints[1]).toMatchObject({
        endpoint: 'realtime',
        status: 'off',
        message: expect.stringContaining('Realtime serving is off'),
      });
      expect(lines.some((l) => l.startsWith('serving realtime: off') && l.includes('no Redis is configured'))).toBe(
        true,
      );
      expect(report.promoted).toBe(true);
    }
    if ('HEKIMA_REDIS_URL' in env) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      expect(await redis.ttl(`hekima:${tenant.id}:readings:v1:sensor:S1`)).toBeGreaterThan(3500);
      await redis.del(`hekima:${tenant.id}:readings:v1:sensor:S1`);
      await redis.quit();
    }
  });
});
