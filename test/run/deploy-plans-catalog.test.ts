import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmSecretCipher } from '../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import { PostgresCatalog } from '../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { CATALOG_MIGRATIONS } from '../../platform-core/src/adapters/postgres/migrations/index.js';
import { migrate } from '../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PostgresDatabase } from '../../platform-core/src/adapters/postgres/postgres-database.js';
import { deployedPlan } from '../../platform-core/src/application/serving/deployed-plan.js';
import type { JsonObject } from '../../platform-core/src/domain/json.js';
import { activeTenant, sha256 } from '../catalog/contract/contract-context.js';
import {
  openPgliteCatalog,
  openPostgresCatalog,
  TEST_DATABASE_URL,
  TEST_SECRET_KEY,
  testSchemaName,
  type TestCatalog,
} from '../catalog/support/test-databases.js';

/** A stand-in plan body: what the repository stores is any JSON object carrying its own hash. */
function planBody(label: string): { hash: string; plan: JsonObject } {
  const hash = sha256(`plan ${label}`);
  return { hash, plan: { product: { name: 'orders', version: '1.0.0' }, inputs: [], label, hash } };
}

async function productWithVersion(t: TestCatalog, slug: string) {
  const tenant = await activeTenant(t, slug);
  const scoped = t.catalog.forTenant(tenant.id);
  const product = await scoped.products.register({ name: 'orders' });
  const version = await scoped.products.addVersion({
    productId: product.id,
    version: '1.0.0',
    manifests: { product: { name: 'orders' } },
    manifestHash: sha256(`manifests ${slug}`),
  });
  return { tenantId: tenant.id, scoped, productId: product.id, versionId: version.id };
}

const plansOf = (t: TestCatalog, tenantId: string) =>
  t.db.admin.transaction(
    async (sql) =>
      (
        await sql.query(`SELECT plan_hash FROM product_plans WHERE tenant_id = $1 ORDER BY created_at, plan_hash`, [
          tenantId,
        ])
      ).rows,
  );

for (const driver of ['PGlite', 'PostgreSQL'] as const) {
  describe(`deployment plans in the catalog (${driver})`, () => {
    let t: TestCatalog;
    beforeAll(async () => {
      t = driver === 'PGlite' ? await openPgliteCatalog() : await openPostgresCatalog('deploy_plans');
    }, 60_000);
    afterAll(async () => t?.cleanup());

    it('stores a plan once per hash; every deployment names the exact plan it deployed', async () => {
      const a = await productWithVersion(t, `plans-a-${driver.toLowerCase()}`);
      const [p1, p2] = [planBody('one'), planBody('two')];
      const d1 = await a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan: p1 });
      const d2 = await a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan: p2 });
      const d3 = await a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan: p1 });
      expect([d1.planHash, d2.planHash, d3.planHash]).toEqual([p1.hash, p2.hash, p1.hash]);
      expect(await a.scoped.deployments.active(a.productId)).toEqual(d3);
      expect((await a.scoped.deployments.get(d2.id))?.state).toBe('superseded');
      expect((await plansOf(t, a.tenantId)).map((r) => r['plan_hash']).sort()).toEqual([p1.hash, p2.hash].sort());
      expect(await a.scoped.deployments.plan(a.productId, p2.hash)).toMatchObject({
        productId: a.productId,
        hash: p2.hash,
        plan: p2.plan,
      });
      expect(await a.scoped.deployments.plan(a.productId, sha256('never deployed'))).toBeUndefined();
      // A deployment without a plan (the older way) names none.
      const bare = await a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId });
      expect(bare.planHash).toBeUndefined();
    });

    it("tenant isolation: another tenant cannot read, name or forge a tenant's plans", async () => {
      const a = await productWithVersion(t, `iso-a-${driver.toLowerCase()}`);
      const b = await productWithVersion(t, `iso-b-${driver.toLowerCase()}`);
      const p = planBody('secret');
      await a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan: p });
      expect(await b.scoped.deployments.plan(a.productId, p.hash)).toBeUndefined();
      const seen = await t.db.withTenant(b.tenantId, async (sql) => ({
        all: (await sql.query(`SELECT count(*) AS n FROM product_plans`)).rows[0]?.['n'],
        theirs: (await sql.query(`SELECT count(*) AS n FROM product_plans WHERE tenant_id = $1`, [a.tenantId]))
          .rows[0]?.['n'],
      }));
      expect(seen).toEqual({ all: '0', theirs: '0' });
      // b cannot deploy a's product, nor store a plan under a's tenant or product.
      await expect(
        b.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan: planBody('x') }),
      ).rejects.toMatchObject({ kind: expect.stringMatching(/^(NotFound|Forbidden)$/) });
      await expect(
        t.db.withTenant(b.tenantId, (sql) =>
          sql.query(`INSERT INTO product_plans (tenant_id, product_id, plan_hash, plan) VALUES ($1, $2, $3, '{}')`, [
            a.tenantId,
            a.productId,
            sha256('forged'),
          ]),
        ),
      ).rejects.toMatchObject({ kind: 'Forbidden' });
      // Plans are immutable for the application: no UPDATE or DELETE, even of its own.
      for (const statement of [`UPDATE product_plans SET plan = '{}'`, `DELETE FROM product_plans`])
        await expect(
          t.db.withTenant(a.tenantId, (sql) => sql.query(statement)),
          statement,
        ).rejects.toMatchObject({ kind: 'Forbidden' });
      expect(await a.scoped.deployments.plan(a.productId, p.hash)).toMatchObject({ plan: p.plan });
    });

    it('refuses a plan it cannot record, with the reason', async () => {
      const a = await productWithVersion(t, `bad-${driver.toLowerCase()}`);
      const create = (plan: { hash: string; plan: JsonObject }) =>
        a.scoped.deployments.create({ productId: a.productId, productVersionId: a.versionId, plan });
      await expect(create({ hash: 'abc', plan: {} })).rejects.toMatchObject({ code: 'invalid_plan_hash' });
      await expect(create({ hash: sha256('x'), plan: { hash: sha256('y') } })).rejects.toMatchObject({
        code: 'invalid_plan',
      });
      expect(await a.scoped.deployments.active(a.productId)).toBeUndefined();
    });
  });
}

/**
 * Migration 010 on a catalog that has deployments already (PostgreSQL: a schema at migration 9,
 * written the older way, then migrated): a deployment whose plan the version row keeps gets it
 * recorded; a later plan of the same version known only by hash stays unrecorded, and reading it
 * still fails closed.
 */
describe('migration 010 on an existing catalog (PostgreSQL)', () => {
  let t: TestCatalog;
  beforeAll(async () => {
    const schema = testSchemaName('plans_backfill');
    const db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, poolSize: 2 });
    await migrate(db, { migrations: CATALOG_MIGRATIONS.filter((m) => m.version < 10) });
    t = {
      db,
      catalog: new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY)),
      cleanup: async () => {
        await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
        await db.close();
      },
    };
  }, 60_000);
  afterAll(async () => t?.cleanup());

  it('records the plans it can and leaves the others to fail closed', async () => {
    const tenant = await activeTenant(t, 'legacy');
    const scoped = t.catalog.forTenant(tenant.id);
    const product = await scoped.products.register({ name: 'orders' });
    const first = planBody('first');
    const version = await scoped.products.addVersion({
      productId: product.id,
      version: '1.0.0',
      manifests: { plan: first.plan },
      manifestHash: first.hash,
    });
    // Deployments as `hekima run` wrote them before migration 010: the plan named only in the reason.
    const legacy = (reason: string) =>
      t.db.withTenant(tenant.id, async (sql) => {
        await sql.query(`UPDATE deployments SET state = 'superseded' WHERE product_id = $1 AND state = 'active'`, [
          product.id,
        ]);
        const { rows } = await sql.query(
          `INSERT INTO deployments (tenant_id, product_id, product_version_id, deployed_by, reason)
           VALUES ($1, $2, $3, 'hekima run', $4) RETURNING id`,
          [tenant.id, product.id, version.id, reason],
        );
        return { id: String(rows[0]!['id']) };
      });
    const d1 = await legacy(`plan ${first.hash}`);
    const later = sha256('plan later');
    const d2 = await legacy(`plan ${later}`);
    const before = await scoped.deployments.get(d1.id);

    await migrate(t.db);
    const d1After = await scoped.deployments.get(d1.id);
    expect(d1After?.planHash).toBe(first.hash);
    expect(d1After).toEqual({ ...before, planHash: first.hash }); // the backfill touches nothing else
    expect((await scoped.deployments.get(d2.id))?.planHash).toBeUndefined();
    expect(await scoped.deployments.plan(product.id, first.hash)).toMatchObject({ plan: first.plan });
    await expect(deployedPlan(t.catalog, tenant.id, 'orders')).rejects.toMatchObject({
      code: 'deployed_plan_unavailable',
    });
  });
});
