import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAuditRecord } from '../../../platform-core/src/application/audit/append-audit-entry.js';
import { verifyAudit } from '../../../platform-core/src/application/audit/audit-queries.js';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import { activeTenant, type ContractContext } from './contract-context.js';

/** Tampering as an operator with owner rights would: the append-only trigger disabled for the statement. */
async function tamper(ctx: ContractContext, statement: string, params: unknown[] = []): Promise<void> {
  await ctx.db.admin.transaction(async (sql) => {
    await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await sql.query(statement, params.map(String));
    await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  });
}

let tenants = 0;

/** A fresh tenant whose trail holds `n` entries appended the way the platform appends them. */
async function trail(ctx: ContractContext, n: number): Promise<Tenant> {
  const tenant = await activeTenant(ctx, `head-${(tenants += 1)}-${randomUUID().slice(0, 8)}`);
  for (let i = 1; i <= n; i++)
    await appendAuditRecord(ctx.catalog, tenant.id, {
      eventId: `evt-${i}`,
      eventType: 'DataAccessed',
      correlationId: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 10, 23, 10, i)).toISOString(),
      payload: { n: i },
    });
  return tenant;
}

const verify = (ctx: ContractContext, tenant: Tenant) =>
  verifyAudit(ctx.catalog, tenant.id, { auditGroup: `${tenant.slug}.audit` });

const deleteSeqs = (ctx: ContractContext, tenant: Tenant, from: number, to: number) =>
  tamper(ctx, 'DELETE FROM audit_log WHERE tenant_id = $1 AND seq BETWEEN $2 AND $3', [tenant.id, from, to]);

/**
 * The signed head (migration 013, docs/adr/0018): deleting rows anywhere in the trail — the
 * oldest, the middle, the newest, all of them — or editing one is detected, and the head itself
 * cannot be rewritten or read by the app role.
 */
export function auditHeadContract(get: () => ContractContext): void {
  describe('audit trail signed head', () => {
    it('an intact trail verifies against its signed head', async () => {
      const ctx = get();
      const tenant = await trail(ctx, 5);
      expect(await ctx.catalog.forTenant(tenant.id).audit.signedHead()).toMatchObject({ seq: 5, signed: true });
      expect(await verify(ctx, tenant)).toMatchObject({ ok: true, checked: 5, head: { seq: 5 } });
    });

    it('truncation at the tail (the newest rows deleted) is detected', async () => {
      const ctx = get();
      const tenant = await trail(ctx, 5);
      await deleteSeqs(ctx, tenant, 4, 5);
      const report = await verify(ctx, tenant);
      expect(report).toMatchObject({ ok: false, checked: 3, break: { seq: 4, reason: 'missing_rows' } });
      expect(report.break?.message).toContain('seq 4–5 are missing');
      // The shortened chain cannot be extended either: the next append does not follow the head.
      await expect(
        appendAuditRecord(ctx.catalog, tenant.id, {
          eventId: 'evt-after',
          eventType: 'X',
          correlationId: randomUUID(),
          occurredAt: new Date().toISOString(),
          payload: {},
        }),
      ).rejects.toMatchObject({ kind: 'InvalidState', code: 'audit_head_mismatch' });
    });

    it('truncation at the head (the oldest rows), in the middle, and of every row is detected', async () => {
      const ctx = get();
      const oldest = await trail(ctx, 4);
      await deleteSeqs(ctx, oldest, 1, 2);
      expect(await verify(ctx, oldest)).toMatchObject({ ok: false, break: { seq: 1, reason: 'missing_rows' } });
      const middle = await trail(ctx, 4);
      await deleteSeqs(ctx, middle, 3, 3);
      expect(await verify(ctx, middle)).toMatchObject({
        ok: false,
        checked: 2,
        break: { seq: 3, reason: 'missing_rows' },
      });
      const everything = await trail(ctx, 3);
      await deleteSeqs(ctx, everything, 1, 3);
      expect(await verify(ctx, everything)).toMatchObject({
        ok: false,
        checked: 0,
        break: { seq: 1, reason: 'missing_rows' },
      });
    });

    it('an edited row is detected', async () => {
      const ctx = get();
      const tenant = await trail(ctx, 3);
      await tamper(ctx, `UPDATE audit_log SET payload = '{"n": 99}' WHERE tenant_id = $1 AND seq = 2`, [tenant.id]);
      expect(await verify(ctx, tenant)).toMatchObject({
        ok: false,
        checked: 1,
        break: { seq: 2, reason: 'hash_mismatch' },
      });
    });

    it('a head moved back without the key, or removed, is detected', async () => {
      const ctx = get();
      const rewritten = await trail(ctx, 4);
      await deleteSeqs(ctx, rewritten, 4, 4);
      const third = (await ctx.catalog.forTenant(rewritten.id).audit.chain(2, 1))[0]!;
      await ctx.db.admin.transaction((sql) =>
        sql.query(`UPDATE audit_heads SET seq = 3, hash = $2, signature = repeat('a', 64) WHERE tenant_id = $1`, [
          rewritten.id,
          third.hash,
        ]),
      );
      expect(await verify(ctx, rewritten)).toMatchObject({ ok: false, break: { reason: 'head_unsigned' } });

      const removed = await trail(ctx, 2);
      await ctx.db.admin.transaction((sql) => sql.query('DELETE FROM audit_heads WHERE tenant_id = $1', [removed.id]));
      expect(await verify(ctx, removed)).toMatchObject({ ok: false, break: { reason: 'head_missing' } });
    });

    it('the app role can neither read nor write the head or its key, nor compute a signature', async () => {
      const ctx = get();
      const tenant = await trail(ctx, 1);
      for (const statement of [
        'SELECT * FROM audit_heads',
        'SELECT * FROM audit_head_key',
        `UPDATE audit_heads SET seq = 1`,
        `DELETE FROM audit_heads`,
        `SELECT audit_head_signature('${tenant.id}', 1, repeat('0', 64))`,
      ]) {
        await expect(
          ctx.db.withTenant(tenant.id, (sql) => sql.query(statement)),
          statement,
        ).rejects.toMatchObject({ kind: 'Forbidden', code: 'permission_denied' });
      }
    });

    it('the signature is HMAC-SHA256 (RFC 2104) of tenant:seq:hash', async () => {
      const { db } = get();
      const key = Buffer.alloc(64, 7);
      const message = `${randomUUID()}:42:${'ab'.repeat(32)}`;
      const signed = await db.admin.transaction(
        async (sql) =>
          (await sql.query(`SELECT audit_hmac(decode($1, 'hex'), $2) AS s`, [key.toString('hex'), message])).rows,
      );
      expect(signed[0]?.['s']).toBe(createHmac('sha256', key).update(message).digest('hex'));
    });
  });
}
