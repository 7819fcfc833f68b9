import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { testSchemaName } from '../catalog/support/test-databases.js';
import { createErpDatabase, fixtureChainWorkspace, TEST_DATABASE_URL, TEST_REDIS_URL } from './e2e-support.js';

/** pg returns dates and timestamps as text here (no local-time Date objects in comparisons). */
const TEXT_TYPES = new Set([1082, 1114, 1184]);
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format),
};

/**
 * A server-mode world for one test file: a fresh catalog schema on the test PostgreSQL (its
 * serving tables go to `<schema>_serving`), the tenant `acme-retail` created by the control plane
 * (server mode never provisions on first use), an ERP database, the fixture-chain workspace, and
 * the environment the `hekima` binary reads. `platform` is an in-process view of the same catalog
 * and lake, for assertions only.
 */
export async function serverWorld(label: string) {
  const schema = testSchemaName(label);
  const erp = await createErpDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `hekima-${label}-`));
  await fixtureChainWorkspace(dir, erp.name);
  const env: Record<string, string> = {
    HEKIMA_DATABASE_URL: TEST_DATABASE_URL,
    HEKIMA_DATABASE_SCHEMA: schema,
    HEKIMA_DATABASE_POOL_SIZE: '4',
    HEKIMA_SECRET_KEY: Buffer.alloc(32, 11).toString('base64'),
    HEKIMA_REDIS_URL: TEST_REDIS_URL,
    HEKIMA_LOG_LEVEL: 'warn',
    ERP_PASSWORD: '',
    // Server mode keeps the lake outside any folder a connection can name; the test's own copy
    // lives under the workspace's .hekima/ (out of reach too) so it goes with the workspace.
    HEKIMA_LAKE: join(dir, '.hekima', 'lake'),
  };
  const platform: Platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: dir }) });
  const catalog = await platform.catalog();
  const created = await catalog.tenants.create({ slug: 'acme-retail' });
  const tenant = await catalog.tenants.transition(created.id, 'ACTIVE', 'server-mode e2e test');
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL, types });
  await db.connect();
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `hekima:${tenant.id}:`;
  return {
    schema,
    dir,
    env,
    erp,
    platform,
    tenantId: tenant.id,
    redis,
    prefix,
    /** The served rows of one table of `<schema>_serving`, of this tenant. */
    async table(name: string, orderBy: string): Promise<Record<string, unknown>[]> {
      const r = await db.query(`SELECT * FROM "${schema}_serving"."${name}" WHERE tenant_id = $1 ORDER BY ${orderBy}`, [
        tenant.id,
      ]);
      return r.rows as Record<string, unknown>[];
    },
    /** Any SQL on the test database (catalog and serving schemas). */
    async sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
      return (await db.query(text, params)).rows as Record<string, unknown>[];
    },
    /** Every Redis key of this tenant, sorted. */
    async keys(): Promise<string[]> {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
      return found.sort();
    },
    async cleanup() {
      await platform.close().catch(() => undefined);
      const keys = await this.keys().catch(() => []);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await db.query(`DROP SCHEMA IF EXISTS "${schema}_serving" CASCADE; DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.end();
      await erp.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type ServerWorld = Awaited<ReturnType<typeof serverWorld>>;
