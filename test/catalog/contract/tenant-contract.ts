import { describe, expect, it } from 'vitest';
import { assertCanDeploy, assertCanRun } from '../../../platform-core/src/domain/catalog/tenant.js';
import { activeTenant, sha256, type ContractContext } from './contract-context.js';

/** Tenant slugs, the state machine (domain and database), and what a suspended tenant may not do. */
export function tenantContract(get: () => ContractContext): void {
  describe('tenants', () => {
    it('creates PROVISIONING tenants with valid, unique slugs', async () => {
      const { catalog } = get();
      const t = await catalog.tenants.create({ slug: 'acme-corp' });
      expect(t).toMatchObject({ slug: 'acme-corp', displayName: 'acme-corp', state: 'PROVISIONING' });
      expect(await catalog.tenants.getBySlug('acme-corp')).toEqual(t);
      expect(await catalog.tenants.get(t.id)).toEqual(t);
      await expect(catalog.tenants.create({ slug: 'acme-corp' })).rejects.toMatchObject({
        kind: 'Conflict',
        code: 'tenant_exists',
      });
      for (const slug of ['ab', 'Acme', '1acme', 'acme_corp', 'a'.repeat(64), 'acme corp']) {
        await expect(catalog.tenants.create({ slug }), slug).rejects.toMatchObject({
          kind: 'InvalidArgument',
          code: 'invalid_tenant_slug',
        });
      }
      expect((await catalog.tenants.create({ slug: 'a'.repeat(63) })).slug).toHaveLength(63);
    });

    it('allows only the transitions of the state machine, in the domain and in the database', async () => {
      const { catalog, db } = get();
      const t = await catalog.tenants.create({ slug: 'state-machine' });
      await expect(catalog.tenants.transition(t.id, 'SUSPENDED')).rejects.toMatchObject({
        kind: 'InvalidState',
        code: 'invalid_tenant_transition',
      });
      expect((await catalog.tenants.transition(t.id, 'ACTIVE')).state).toBe('ACTIVE');
      expect((await catalog.tenants.transition(t.id, 'SUSPENDED', 'unpaid')).stateReason).toBe('unpaid');
      expect((await catalog.tenants.transition(t.id, 'ACTIVE')).state).toBe('ACTIVE');
      expect((await catalog.tenants.transition(t.id, 'ARCHIVED')).state).toBe('ARCHIVED');
      await expect(catalog.tenants.transition(t.id, 'ACTIVE')).rejects.toMatchObject({
        code: 'invalid_tenant_transition',
      });
      // The database refuses what the domain refuses, even on the admin path.
      await expect(
        db.admin.transaction((sql) => sql.query(`UPDATE tenants SET state = 'ACTIVE' WHERE id = $1`, [t.id])),
      ).rejects.toMatchObject({
        kind: 'InvalidState',
        code: 'invalid_transition',
      });
      await expect(
        db.admin.transaction((sql) => sql.query(`UPDATE tenants SET slug = 'renamed' WHERE id = $1`, [t.id])),
      ).rejects.toMatchObject({
        code: 'immutable_column',
      });
      await expect(
        db.admin.transaction((sql) => sql.query(`UPDATE tenants SET state = 'GONE' WHERE id = $1`, [t.id])),
      ).rejects.toMatchObject({
        code: 'invalid_transition',
      });
      await expect(
        db.admin.transaction((sql) =>
          sql.query(`INSERT INTO tenants (slug, display_name, state) VALUES ('gone-state', 'x', 'GONE')`),
        ),
      ).rejects.toMatchObject({
        kind: 'InvalidArgument',
        code: 'check_violation',
      });
      await expect(
        db.admin.transaction((sql) => sql.query(`INSERT INTO tenants (slug, display_name) VALUES ('Bad_Slug', 'x')`)),
      ).rejects.toMatchObject({
        code: 'check_violation',
      });
      await expect(catalog.tenants.transition('00000000-0000-4000-8000-000000000000', 'ACTIVE')).rejects.toMatchObject({
        code: 'tenant_not_found',
      });
    });

    it('lets a suspended tenant read but not register, deploy or run; reactivation restores it', async () => {
      const { catalog, db } = get();
      const t = await activeTenant(get(), 'suspendable');
      const scoped = catalog.forTenant(t.id);
      const product = await scoped.products.register({ name: 'p1' });
      const version = await scoped.products.addVersion({
        productId: product.id,
        version: '1',
        manifests: {},
        manifestHash: sha256('{}'),
      });
      const { execution } = await scoped.executions.create({
        productId: product.id,
        productVersionId: version.id,
        trigger: 'manual',
        idempotencyKey: 'k1',
      });
      await catalog.tenants.transition(t.id, 'SUSPENDED', 'review');

      const tenant = await scoped.tenant();
      expect(tenant.state).toBe('SUSPENDED');
      expect(() => assertCanDeploy(tenant)).toThrow(
        expect.objectContaining({ kind: 'Forbidden', code: 'tenant_suspended' }),
      );
      expect(() => assertCanRun(tenant)).toThrow(
        expect.objectContaining({ kind: 'Forbidden', code: 'tenant_suspended' }),
      );
      // The database enforces it too, whatever the caller forgot.
      const forbidden = { kind: 'Forbidden', code: 'tenant_not_active' };
      await expect(scoped.products.register({ name: 'p2' })).rejects.toMatchObject(forbidden);
      await expect(
        scoped.products.addVersion({ productId: product.id, version: '2', manifests: {}, manifestHash: sha256('2') }),
      ).rejects.toMatchObject(forbidden);
      await expect(
        scoped.deployments.create({ productId: product.id, productVersionId: version.id }),
      ).rejects.toMatchObject(forbidden);
      await expect(
        scoped.executions.create({
          productId: product.id,
          productVersionId: version.id,
          trigger: 'manual',
          idempotencyKey: 'k2',
        }),
      ).rejects.toMatchObject(forbidden);
      await expect(
        db.withTenant(t.id, (sql) =>
          sql.query(`UPDATE executions SET state = 'running' WHERE tenant_id = $1 AND id = $2`, [t.id, execution.id]),
        ),
      ).rejects.toMatchObject(forbidden);
      expect((await scoped.products.list()).items).toHaveLength(1);

      await catalog.tenants.transition(t.id, 'ACTIVE');
      await expect(scoped.products.register({ name: 'p2' })).resolves.toMatchObject({ name: 'p2' });
      // (pending → ready → running: the execution state machine, migration 007, holds too.)
      const moved = await db.withTenant(t.id, async (sql) => {
        await sql.query(`UPDATE executions SET state = 'ready' WHERE tenant_id = $1 AND id = $2`, [t.id, execution.id]);
        return sql.query(`UPDATE executions SET state = 'running' WHERE tenant_id = $1 AND id = $2`, [
          t.id,
          execution.id,
        ]);
      });
      expect(moved.rowCount).toBe(1);
    });

    it('lists tenants with a state filter', async () => {
      const { catalog } = get();
      const active = await catalog.tenants.list({ limit: 100 }, { state: 'ACTIVE' });
      expect(active.items.length).toBeGreaterThanOrEqual(2);
      expect(active.items.every((t) => t.state === 'ACTIVE')).toBe(true);
    });
  });
}
