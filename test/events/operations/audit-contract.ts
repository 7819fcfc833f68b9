import { describe, expect, it, vi } from 'vitest';
import { AuditConsumers } from '../../../platform-core/src/application/audit/audit-consumers.js';
import { appendAuditEntry } from '../../../platform-core/src/application/audit/append-audit-entry.js';
import { catchUpAuditTrail } from '../../../platform-core/src/application/audit/audit-consumer.js';
import { listAudit, verifyAudit } from '../../../platform-core/src/application/audit/audit-queries.js';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import { auditHash } from '../../../platform-core/src/domain/audit/audit-chain.js';
import { sha256 } from '../../../platform-core/src/application/audit/sha256.js';
import { auditGroup } from '../../../platform-core/src/domain/events/consumer-groups.js';
import type { EventHarness } from '../support/event-harness.js';
import { freshTenant, publishData, type EventContext } from '../contract/event-context.js';

/** Tampering as an operator with owner rights would: the append-only trigger disabled for the statement. */
async function tamper(h: EventHarness, statement: string, params: (string | number)[]): Promise<void> {
  await h.db.admin.transaction(async (sql) => {
    await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await sql.query(statement, params.map(String));
    await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
}

/** A tenant with a product in the catalog and five events recorded in its trail. */
async function recordedTenant(ctx: EventContext): Promise<{ tenant: Tenant; productId: string }> {
  const { h, bus } = ctx;
  const tenant = await freshTenant(h, 'audit');
  const productId = await h.catalog.transaction(tenant.id, async (tx) => {
    const team = await tx.teams.create({ name: 'finance' });
    const product = await tx.products.register({ name: 'orders', teamId: team.id, archetype: 'source' });
    await bus.publish(tx, {
      eventType: 'ProductRegistered',
      productId: product.id,
      payload: { product_id: product.id, name: 'orders', namespace: 'sales', archetype: 'source' },
    });
    return product.id;
  });
  await publishData(h, bus, tenant, 'orders', 3);
  await h.catalog.transaction(tenant.id, (tx) =>
    bus.publish(tx, {
      eventType: 'ConceptCreated',
      payload: { concept_name: 'revenue', domain: 'sales', source_product: 'orders' },
    }),
  );
  await catchUpAuditTrail(bus, h.catalog, tenant);
  return { tenant, productId };
}

const verify = (h: EventHarness, tenant: Tenant) =>
  verifyAudit(h.catalog, tenant.id, { auditGroup: auditGroup(tenant.slug) });

export function auditContract(get: () => EventContext): void {
  describe('audit trail', () => {
    it('the audit consumer appends every event to a per-tenant hash chain, and lists it with filters', async () => {
      const ctx = get();
      const { h } = ctx;
      const { tenant, productId } = await recordedTenant(ctx);
      const all = (await listAudit(h.catalog, tenant.id, {}, { limit: 100 })).items;
      expect(all.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
      expect(all.map((e) => e.eventType).reverse()).toEqual([
        'ProductRegistered',
        'DataAvailable',
        'DataAvailable',
        'DataAvailable',
        'ConceptCreated',
      ]);
      const chain = [...all].reverse();
      chain.forEach((row, i) => expect(row.prevHash).toBe(i === 0 ? '0'.repeat(64) : chain[i - 1]!.hash));
      // DataAvailable names the product by name: the consumer resolved it to the catalog id.
      expect((await listAudit(h.catalog, tenant.id, { product: 'orders' })).items).toHaveLength(4);
      expect((await listAudit(h.catalog, tenant.id, { product: productId, type: 'DataAvailable' })).items).toHaveLength(
        3,
      );
      expect((await listAudit(h.catalog, tenant.id, { product: 'unknown-product' })).items).toEqual([]);
      expect((await listAudit(h.catalog, tenant.id, { since: '2999-01-01T00:00:00Z' })).items).toEqual([]);
      expect((await listAudit(h.catalog, tenant.id, { until: '2999-01-01T00:00:00Z' })).items).toHaveLength(5);
      expect(await verify(h, tenant)).toMatchObject({ ok: true, checked: 5, head: { seq: 5 }, unaudited: [] });
    });

    it('appends an event once, however often it is delivered', async () => {
      const ctx = get();
      const { h, bus } = ctx;
      const tenant = await freshTenant(h, 'audit');
      const [e] = await publishData(h, bus, tenant, 'orders', 1);
      expect(await appendAuditEntry(h.catalog, e!.event)).toMatchObject({ seq: 1 });
      expect(await appendAuditEntry(h.catalog, e!.event)).toBeUndefined();
      await catchUpAuditTrail(bus, h.catalog, tenant);
      expect((await listAudit(h.catalog, tenant.id)).items).toHaveLength(1);
    });

    it('verify names the exact seq of an edited row', async () => {
      const { h } = get();
      const { tenant } = await recordedTenant(get());
      await tamper(h, `UPDATE audit_log SET payload = '{"edited": true}' WHERE tenant_id = $1 AND seq = $2`, [
        tenant.id,
        3,
      ]);
      expect(await verify(h, tenant)).toMatchObject({
        ok: false,
        checked: 2,
        break: { seq: 3, reason: 'hash_mismatch' },
      });
    });

    it('verify names the next seq when a row was rewritten together with a recomputed hash', async () => {
      const { h } = get();
      const { tenant } = await recordedTenant(get());
      const row = (await h.catalog.forTenant(tenant.id).audit.chain(1, 1))[0]!;
      const forged = { ...row, payload: { forged: true } };
      const hash = auditHash(sha256, tenant.id, forged);
      await tamper(
        h,
        `UPDATE audit_log SET payload = '{"forged": true}', hash = $3 WHERE tenant_id = $1 AND seq = $2`,
        [tenant.id, 2, hash],
      );
      expect((await verify(h, tenant)).break).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
    });

    it('verify names the exact seq of a deleted row, and catches a deleted newest row through the event log', async () => {
      const { h } = get();
      const { tenant } = await recordedTenant(get());
      await tamper(h, `DELETE FROM audit_log WHERE tenant_id = $1 AND seq = $2`, [tenant.id, 2]);
      expect(await verify(h, tenant)).toMatchObject({
        ok: false,
        checked: 1,
        break: { seq: 2, reason: 'missing_rows' },
      });

      const other = await recordedTenant(get());
      const [newest] = (await listAudit(h.catalog, other.tenant.id, {}, { limit: 1 })).items;
      await tamper(h, `DELETE FROM audit_log WHERE tenant_id = $1 AND seq = $2`, [other.tenant.id, 5]);
      const report = await verify(h, other.tenant);
      // Two witnesses: the signed head (seq 5 is gone) and the event log (its event has no entry).
      expect(report).toMatchObject({
        ok: false,
        checked: 4,
        break: { seq: 5, reason: 'missing_rows' },
        unaudited: [newest!.eventId],
      });
    });

    it('a long-running process follows every active tenant with AuditConsumers', async () => {
      const { h, bus } = get();
      const tenant = await freshTenant(h, 'audit');
      const consumers = new AuditConsumers(bus, h.catalog);
      try {
        expect(await consumers.sync()).toContain(tenant.id);
        await publishData(h, bus, tenant, 'orders', 2);
        await vi.waitFor(async () => expect((await listAudit(h.catalog, tenant.id)).items).toHaveLength(2), {
          timeout: 10_000,
          interval: 25,
        });
        await h.catalog.tenants.transition(tenant.id, 'SUSPENDED', 'test');
        expect(await consumers.sync()).not.toContain(tenant.id);
      } finally {
        await consumers.close();
      }
    });

    it('chains are per tenant: tampering with one leaves the other intact', async () => {
      const { h } = get();
      const a = await recordedTenant(get());
      const b = await recordedTenant(get());
      await tamper(h, `UPDATE audit_log SET event_type = 'Forged' WHERE tenant_id = $1 AND seq = $2`, [a.tenant.id, 1]);
      expect((await verify(h, a.tenant)).break).toMatchObject({ seq: 1 });
      expect((await verify(h, b.tenant)).ok).toBe(true);
    });
  });
}
