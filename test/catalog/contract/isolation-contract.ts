import { describe, expect, it } from 'vitest';
import { sha256, type ContractContext, type SeededTenant } from './contract-context.js';
import { PostgresTeamRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-team-repository.js';
import { PostgresConnectionRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-connection-repository.js';
import { PostgresProductRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-product-repository.js';
import { PostgresDeploymentRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-deployment-repository.js';
import { PostgresExecutionRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-execution-repository.js';
import { PostgresEventRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-event-repository.js';
import { PostgresDlqRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-dlq-repository.js';
import { PostgresAuditRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-audit-repository.js';
import { PostgresConnectorStateRepository } from '../../../platform-core/src/adapters/postgres/catalog/postgres-connector-state-repository.js';
import { AesGcmSecretCipher } from '../../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import { TEST_SECRET_KEY } from '../support/test-databases.js';

/**
 * Isolation through the repositories: tenant A, holding B's ids (and the same names as B), reads
 * nothing of B's, lists only its own rows, and cannot attach its rows to B's.
 */
export function isolationContract(get: () => ContractContext): void {
  describe('isolation through every repository call', () => {
    for (const [self, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      it(`tenant ${self} never sees tenant ${other}'s rows`, async () => {
        const ctx = get();
        const me: SeededTenant = ctx[self];
        const them: SeededTenant = ctx[other];
        const r = ctx.catalog.forTenant(me.tenant.id);

        expect(await r.tenant()).toEqual(me.tenant);
        expect(await r.teams.get(them.teamId)).toBeUndefined();
        expect(await r.connections.get(them.connectionId)).toBeUndefined();
        expect(await r.products.get(them.productId)).toBeUndefined();
        expect(await r.products.getVersion(them.versionId)).toBeUndefined();
        expect(await r.deployments.get(them.deploymentId)).toBeUndefined();
        expect(await r.deployments.active(them.productId)).toBeUndefined();
        expect(await r.executions.get(them.executionId)).toBeUndefined();
        expect(await r.executions.transitions(them.executionId)).toEqual([]);
        expect(await r.executions.steps(them.executionId)).toEqual([]);
        expect(await r.events.get(them.eventId)).toBeUndefined();
        expect(await r.dlq.get(them.dlqId)).toBeUndefined();
        await expect(r.connections.resolveSecrets(them.connectionId, {})).rejects.toMatchObject({ kind: 'NotFound' });
        expect(await r.connectorStates.get(them.productId, 'orders')).toBeUndefined();
        expect(await r.connectorStates.ofProduct(them.productId)).toEqual([]);
        expect(await r.connectorStates.reset(them.productId, 'orders')).toBe(false);
        expect((await r.connectorStates.get(me.productId, 'orders'))?.tenantId).toBe(me.tenant.id);

        // Same names exist in both tenants: each gets its own.
        expect((await r.teams.getByName('finance'))?.id).toBe(me.teamId);
        expect((await r.connections.getByName('warehouse'))?.id).toBe(me.connectionId);
        expect((await r.products.getByName('daily-revenue'))?.id).toBe(me.productId);

        const lists = [
          await r.teams.list({ limit: 100 }),
          await r.connections.list({ limit: 100 }),
          await r.products.list({ limit: 100 }),
          await r.products.listVersions(them.productId, { limit: 100 }),
          await r.deployments.list({ limit: 100 }),
          await r.executions.list({ limit: 100 }),
          await r.events.list({ limit: 100 }),
          await r.dlq.list({ limit: 100 }),
          await r.audit.list({ limit: 100 }),
        ];
        for (const page of lists) {
          for (const item of page.items) expect(item.tenantId).toBe(me.tenant.id);
        }
        expect(lists[3]!.items).toEqual([]);
        expect((await r.audit.head())?.tenantId).toBe(me.tenant.id);
      });
    }

    it("a tenant cannot attach its rows to another tenant's rows (tenant-scoped foreign keys)", async () => {
      const { catalog, a, b } = get();
      const r = catalog.forTenant(a.tenant.id);
      const notFound = { kind: 'NotFound', code: 'reference_not_found' };
      await expect(
        r.products.addVersion({ productId: b.productId, version: '9', manifests: {}, manifestHash: sha256('9') }),
      ).rejects.toMatchObject(notFound);
      await expect(
        r.deployments.create({ productId: b.productId, productVersionId: b.versionId }),
      ).rejects.toMatchObject(notFound);
      await expect(
        r.executions.create({
          productId: b.productId,
          productVersionId: b.versionId,
          trigger: 'manual',
          idempotencyKey: 'x-tenant',
        }),
      ).rejects.toMatchObject(notFound);
      await expect(r.products.register({ name: 'borrowed-team', teamId: b.teamId })).rejects.toMatchObject(notFound);
      await expect(
        r.connections.create({ name: 'borrowed', connectorType: 'postgres', teamId: b.teamId }),
      ).rejects.toMatchObject(notFound);
      await expect(
        r.connectorStates.save({
          productId: b.productId,
          inputId: 'borrowed',
          state: {},
          snapshotId: b.snapshotId,
          expectedSnapshotId: null,
        }),
      ).rejects.toMatchObject(notFound);
      expect((await catalog.forTenant(b.tenant.id).connectorStates.get(b.productId, 'orders'))?.snapshotId).toBe(
        b.snapshotId,
      );
    });

    it('repositories filter by tenant_id themselves: isolation holds even on the admin path, without RLS', async () => {
      const { db, a, b } = get();
      const ctx = {
        tenantId: a.tenant.id,
        run: <T>(work: Parameters<typeof db.admin.transaction<T>>[0]) => db.admin.transaction(work),
      };
      const teams = new PostgresTeamRepository(ctx);
      const connections = new PostgresConnectionRepository(ctx, new AesGcmSecretCipher(TEST_SECRET_KEY));
      const products = new PostgresProductRepository(ctx);
      const deployments = new PostgresDeploymentRepository(ctx);
      const executions = new PostgresExecutionRepository(ctx);
      const events = new PostgresEventRepository(ctx);
      const dlq = new PostgresDlqRepository(ctx);
      const audit = new PostgresAuditRepository(ctx);
      const connectorStates = new PostgresConnectorStateRepository(ctx);
      expect(await connectorStates.get(b.productId, 'orders')).toBeUndefined();
      expect(await connectorStates.ofProduct(b.productId)).toEqual([]);
      expect(await connectorStates.reset(b.productId, 'orders')).toBe(false);
      expect(await teams.get(b.teamId)).toBeUndefined();
      expect(await connections.get(b.connectionId)).toBeUndefined();
      await expect(connections.resolveSecrets(b.connectionId, {})).rejects.toMatchObject({ kind: 'NotFound' });
      expect(await products.get(b.productId)).toBeUndefined();
      expect(await products.getVersion(b.versionId)).toBeUndefined();
      expect(await deployments.get(b.deploymentId)).toBeUndefined();
      expect(await executions.get(b.executionId)).toBeUndefined();
      expect(await executions.transitions(b.executionId)).toEqual([]);
      expect(await executions.steps(b.executionId)).toEqual([]);
      expect(await events.get(b.eventId)).toBeUndefined();
      expect(await dlq.get(b.dlqId)).toBeUndefined();
      expect((await teams.getByName('finance'))?.id).toBe(a.teamId);
      const pages = [teams, connections, products, deployments, executions, events, dlq, audit].map((r) =>
        r.list({ limit: 100 }),
      );
      for (const page of await Promise.all(pages)) {
        expect(page.items.length).toBeGreaterThan(0);
        for (const item of page.items) expect(item.tenantId).toBe(a.tenant.id);
      }
      expect((await products.listVersions(b.productId)).items).toEqual([]);
      expect((await audit.head())?.tenantId).toBe(a.tenant.id);
    });

    it('the same idempotency key in two tenants makes two executions', async () => {
      const { catalog, a, b } = get();
      const key = 'shared-key';
      const ea = await catalog.forTenant(a.tenant.id).executions.create({
        productId: a.productId,
        productVersionId: a.versionId,
        trigger: 'manual',
        idempotencyKey: key,
      });
      const eb = await catalog.forTenant(b.tenant.id).executions.create({
        productId: b.productId,
        productVersionId: b.versionId,
        trigger: 'manual',
        idempotencyKey: key,
      });
      expect(ea.created && eb.created).toBe(true);
      expect(ea.execution.id).not.toBe(eb.execution.id);
    });
  });
}
