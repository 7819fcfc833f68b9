import { describe, expect, it } from 'vitest';
import { activeTenant, sha256, type ContractContext } from './contract-context.js';

/** What each repository does for its own tenant. */
export function repositoryContract(get: () => ContractContext): void {
  describe('repositories', () => {
    it('teams, products and versions: create, read back, conflicts on names', async () => {
      const { catalog, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      const team = await scoped.teams.get(a.teamId);
      expect(team).toMatchObject({ name: 'finance', members: ['ada'], tenantId: a.tenant.id });
      expect(await scoped.teams.getByName('finance')).toEqual(team);
      await expect(scoped.teams.create({ name: 'finance' })).rejects.toMatchObject({
        kind: 'Conflict',
        code: 'team_exists',
      });
      await expect(scoped.products.register({ name: 'daily-revenue' })).rejects.toMatchObject({
        code: 'product_exists',
      });
      await expect(scoped.products.register({ name: 'Bad Name' })).rejects.toMatchObject({ code: 'invalid_product' });
      const version = await scoped.products.getVersion(a.versionId);
      expect(version).toMatchObject({
        productId: a.productId,
        version: '1.0.0',
        manifests: { product: { name: 'daily-revenue' } },
      });
      await expect(
        scoped.products.addVersion({
          productId: a.productId,
          version: '1.0.0',
          manifests: {},
          manifestHash: sha256('x'),
        }),
      ).rejects.toMatchObject({ code: 'product_version_exists' });
      await expect(scoped.teams.get('not-a-uuid')).rejects.toMatchObject({
        kind: 'InvalidArgument',
        code: 'invalid_id',
      });
      expect(await scoped.teams.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('product versions are immutable except for their plan', async () => {
      const { db, a } = get();
      await expect(
        db.withTenant(a.tenant.id, (sql) =>
          sql.query(`UPDATE product_versions SET manifests = '{}' WHERE id = $1`, [a.versionId]),
        ),
      ).rejects.toMatchObject({ code: 'immutable_column' });
      const planned = await db.withTenant(a.tenant.id, (sql) =>
        sql.query(`UPDATE product_versions SET plan = '{"steps": []}', plan_hash = $2 WHERE id = $1`, [
          a.versionId,
          sha256('plan'),
        ]),
      );
      expect(planned.rowCount).toBe(1);
    });

    it('a new deployment supersedes the active one', async () => {
      const { catalog } = get();
      const t = await activeTenant(get(), 'deployer');
      const scoped = catalog.forTenant(t.id);
      const p = await scoped.products.register({ name: 'orders' });
      const v1 = await scoped.products.addVersion({
        productId: p.id,
        version: '1',
        manifests: {},
        manifestHash: sha256('1'),
      });
      const v2 = await scoped.products.addVersion({
        productId: p.id,
        version: '2',
        manifests: {},
        manifestHash: sha256('2'),
      });
      const d1 = await scoped.deployments.create({ productId: p.id, productVersionId: v1.id });
      const d2 = await scoped.deployments.create({ productId: p.id, productVersionId: v2.id });
      expect(await scoped.deployments.active(p.id)).toEqual(d2);
      expect((await scoped.deployments.get(d1.id))?.state).toBe('superseded');
      expect((await scoped.deployments.list({}, { productId: p.id })).items.map((d) => d.id)).toEqual([d2.id, d1.id]);
      // A version of another product cannot be deployed under this product.
      const other = await scoped.products.register({ name: 'other' });
      await expect(scoped.deployments.create({ productId: other.id, productVersionId: v1.id })).rejects.toMatchObject({
        kind: 'NotFound',
      });
    });

    it('executions: idempotent creation, transitions recorded with reasons, steps in order', async () => {
      const { catalog, db, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      const input = {
        productId: a.productId,
        productVersionId: a.versionId,
        trigger: 'event' as const,
        idempotencyKey: 'dup-key',
        reason: 'inputs ready',
      };
      const first = await scoped.executions.create(input);
      const again = await scoped.executions.create({ ...input, reason: 'duplicate trigger' });
      expect(first.created).toBe(true);
      expect(again).toEqual({ execution: first.execution, created: false });
      expect(await scoped.executions.getByIdempotencyKey('dup-key')).toEqual(first.execution);
      expect(first.execution).toMatchObject({ state: 'pending', attempt: 0, maxAttempts: 1, requirements: {} });

      await db.withTenant(a.tenant.id, async (sql) => {
        await sql.query(`UPDATE executions SET state = 'ready', state_reason = 'claimable' WHERE id = $1`, [
          first.execution.id,
        ]);
        await sql.query(
          `UPDATE executions SET state = 'running', state_reason = 'worker w1', lease_owner = 'w1', lease_expires_at = now() + interval '30 seconds' WHERE id = $1`,
          [first.execution.id],
        );
        await sql.query(
          `INSERT INTO execution_steps (tenant_id, execution_id, name, ordinal, state) VALUES ($1, $2, 'transform', 2, 'running'), ($1, $2, 'ingest', 1, 'succeeded')`,
          [a.tenant.id, first.execution.id],
        );
      });
      const transitions = await scoped.executions.transitions(first.execution.id);
      expect(transitions.map((t) => [t.from ?? null, t.to, t.reason])).toEqual([
        [null, 'pending', 'inputs ready'],
        ['pending', 'ready', 'claimable'],
        ['ready', 'running', 'worker w1'],
      ]);
      expect((await scoped.executions.steps(first.execution.id)).map((s) => s.name)).toEqual(['ingest', 'transform']);
      expect(await scoped.executions.get(first.execution.id)).toMatchObject({ state: 'running', leaseOwner: 'w1' });
      expect((await scoped.executions.list({}, { state: 'running' })).items.map((e) => e.id)).toEqual([
        first.execution.id,
      ]);
      // The transition log is append-only for the app role.
      await expect(
        db.withTenant(a.tenant.id, (sql) => sql.query('DELETE FROM execution_transitions')),
      ).rejects.toMatchObject({ kind: 'Forbidden' });
    });

    it('the outbox event commits or rolls back with the state change it announces', async () => {
      const { catalog } = get();
      const t = await activeTenant(get(), 'outbox');
      const p = await catalog.forTenant(t.id).products.register({ name: 'orders' });
      await expect(
        catalog.transaction(t.id, async (tx) => {
          const v = await tx.products.addVersion({
            productId: p.id,
            version: '1',
            manifests: {},
            manifestHash: sha256('1'),
          });
          await tx.events.append({
            eventType: 'ProductUpdated',
            productId: p.id,
            correlationId: 'corr-1',
            payload: { version: v.version },
          });
          throw new Error('crash before commit');
        }),
      ).rejects.toThrow('crash before commit');
      const scoped = catalog.forTenant(t.id);
      expect((await scoped.products.listVersions(p.id)).items).toEqual([]);
      expect((await scoped.events.list()).items).toEqual([]);

      const event = await catalog.transaction(t.id, async (tx) => {
        const v = await tx.products.addVersion({
          productId: p.id,
          version: '1',
          manifests: {},
          manifestHash: sha256('1'),
        });
        return tx.events.append({
          eventType: 'ProductUpdated',
          productId: p.id,
          correlationId: 'corr-1',
          payload: { version: v.version },
        });
      });
      expect(event).toMatchObject({
        eventType: 'ProductUpdated',
        tenantId: t.id,
        correlationId: 'corr-1',
        payload: { version: '1' },
      });
      expect(event.eventId).toMatch(/^evt-/);
      expect(event.publishedAt).toBeUndefined();
      expect(await scoped.events.get(event.eventId)).toEqual(event);
      expect((await scoped.events.list({}, { correlationId: 'corr-1' })).items).toEqual([event]);
      await expect(scoped.events.append({ eventId: event.eventId, eventType: 'X', payload: {} })).rejects.toMatchObject(
        { code: 'event_exists' },
      );
    });

    it('dlq entries keep the event, the error and the attempts', async () => {
      const { catalog, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      const entry = await scoped.dlq.get(a.dlqId);
      expect(entry).toMatchObject({
        stage: 'execution',
        status: 'pending',
        attempts: 5,
        event: { x: 1 },
        error: { code: 'boom' },
      });
      const raw = await scoped.dlq.add({
        stage: 'parse_failure',
        event: '{not json',
        error: { name: 'HekimaError', kind: 'Permanent', code: 'parse_failure', message: 'bad JSON', retryable: false },
        attempts: 0,
      });
      expect(raw.event).toBe('{not json');
      expect((await scoped.dlq.list({}, { stage: 'parse_failure' })).items.map((e) => e.id)).toEqual([raw.id]);
    });
  });
}
