import { describe, expect, it } from 'vitest';
import { sha256, type ContractContext } from './contract-context.js';

/** The audit trail is append-only: the app role may not change or remove rows, nor may anyone else. */
export function auditContract(get: () => ContractContext): void {
  describe('audit log', () => {
    it('appends in seq order, refuses a taken seq, and lists with filters', async () => {
      const { catalog, a } = get();
      const audit = catalog.forTenant(a.tenant.id).audit;
      const head = (await audit.head())!;
      const next = await audit.append({
        seq: head.seq + 1,
        eventId: 'evt-audit-2',
        eventType: 'ExecutionStarted',
        productId: a.productId,
        payload: { n: 2 },
        occurredAt: '2026-11-23T10:00:00.000Z',
        prevHash: head.hash,
        hash: sha256('2'),
      });
      expect(await audit.head()).toEqual(next);
      await expect(
        audit.append({
          seq: next.seq,
          eventId: 'evt-audit-3',
          eventType: 'X',
          payload: {},
          occurredAt: next.occurredAt,
          prevHash: next.hash,
          hash: sha256('3'),
        }),
      ).rejects.toMatchObject({ kind: 'Conflict', code: 'audit_seq_taken' });
      expect((await audit.list({}, { eventType: 'ExecutionStarted' })).items).toEqual([next]);
      expect(
        (await audit.list({}, { productId: a.productId, from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' }))
          .items,
      ).toEqual([next]);
      expect((await audit.list({}, { from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z' })).items).toEqual([]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE from the app role, and UPDATE/DELETE even on the admin path', async () => {
      const { db, a } = get();
      for (const statement of [
        `UPDATE audit_log SET payload = '{"edited": true}' WHERE id = '${a.auditId}'`,
        `DELETE FROM audit_log WHERE id = '${a.auditId}'`,
        `TRUNCATE audit_log`,
      ]) {
        await expect(
          db.withTenant(a.tenant.id, (sql) => sql.query(statement)),
          statement,
        ).rejects.toMatchObject({ kind: 'Forbidden', code: 'permission_denied' });
      }
      for (const statement of [
        `UPDATE audit_log SET hash = repeat('f', 64) WHERE id = '${a.auditId}'`,
        `DELETE FROM audit_log WHERE id = '${a.auditId}'`,
        'TRUNCATE audit_log',
      ]) {
        await expect(
          db.admin.transaction((sql) => sql.query(statement)),
          statement,
        ).rejects.toMatchObject({ kind: 'Forbidden', code: 'append_only' });
      }
      const privileges = await db.admin.transaction(async (sql) =>
        (
          await sql.query(
            `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_schema = $2 AND table_name = 'audit_log' ORDER BY 1`,
            [db.appRole, db.schema],
          )
        ).rows.map((r) => r['privilege_type']),
      );
      expect(privileges).toEqual(['INSERT', 'SELECT']);
    });
  });
}
