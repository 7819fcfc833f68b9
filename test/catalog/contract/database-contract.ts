import { describe, expect, it } from 'vitest';
import { hasErrorKind } from '../../../platform-core/src/domain/errors.js';
import type { ContractContext } from './contract-context.js';

/** The SqlDatabase port: the transaction doors behave the same on both drivers. */
export function databaseContract(get: () => ContractContext): void {
  describe('SqlDatabase', () => {
    it('runs tenant work as the app role with the tenant setting, and admin work as the owner', async () => {
      const { db, a } = get();
      const tenant = await db.withTenant(
        a.tenant.id,
        async (sql) => (await sql.query(`SELECT current_user AS who, current_setting('app.tenant_id') AS tid`)).rows[0],
      );
      expect(tenant).toEqual({ who: db.appRole, tid: a.tenant.id });
      const admin = await db.admin.transaction(
        async (sql) =>
          (await sql.query(`SELECT current_user AS who, current_setting('app.tenant_id', true) AS tid`)).rows[0],
      );
      expect(admin?.['who']).not.toBe(db.appRole);
      expect(admin?.['tid'] ?? '').toBe('');
      const role = await db.admin.transaction(
        async (sql) =>
          (await sql.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [db.appRole])).rows[0],
      );
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    });

    it('normalises values identically: int8 as text, timestamptz as Date, jsonb parsed, text[] and uuid[] parameters', async () => {
      const { db, a } = get();
      const row = await db.withTenant(
        a.tenant.id,
        async (sql) =>
          (
            await sql.query(
              `SELECT 9007199254740993::int8 AS big, 'x'::text = ANY($1::text[]) AS has, $2::uuid = ANY($3::uuid[]) AS hasid,
                                 $4::timestamptz AS at, $5::jsonb AS doc, 1.50::numeric AS num`,
              [
                ['x', 'y'],
                a.tenant.id,
                [a.tenant.id],
                new Date('2026-01-02T03:04:05.678Z'),
                JSON.stringify({ k: [1, 'two'] }),
              ],
            )
          ).rows[0],
      );
      expect(row).toEqual({
        big: '9007199254740993',
        has: true,
        hasid: true,
        at: new Date('2026-01-02T03:04:05.678Z'),
        doc: { k: [1, 'two'] },
        num: '1.50',
      });
    });

    it('commits on success and rolls back when the callback throws', async () => {
      const { db, a } = get();
      await expect(
        db.withTenant(a.tenant.id, async (sql) => {
          await sql.query(`INSERT INTO teams (tenant_id, name) VALUES ($1, 'rolled-back')`, [a.tenant.id]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const n = await db.withTenant(
        a.tenant.id,
        async (sql) => (await sql.query(`SELECT count(*) AS n FROM teams WHERE name = 'rolled-back'`)).rows[0]?.['n'],
      );
      expect(n).toBe('0');
    });

    it('refuses nested transactions, several statements in query(), a non-UUID tenant and a finished executor', async () => {
      const { db, a } = get();
      const nested = db.withTenant(a.tenant.id, () => db.withTenant(a.tenant.id, async () => 1));
      await expect(nested).rejects.toMatchObject({ kind: 'InvalidState', code: 'nested_transaction' });
      const adminNested = db.admin.transaction(() => db.admin.transaction(async () => 1));
      await expect(adminNested).rejects.toMatchObject({ code: 'nested_transaction' });
      await expect(db.withTenant(a.tenant.id, (sql) => sql.query('SELECT 1; SELECT 2'))).rejects.toSatisfy((e) =>
        hasErrorKind(e, 'Permanent'),
      );
      await expect(db.withTenant('tenant-a', async () => 1)).rejects.toMatchObject({
        kind: 'InvalidArgument',
        code: 'invalid_tenant_id',
      });
      let leaked: { query: (t: string) => Promise<unknown> } | undefined;
      await db.withTenant(a.tenant.id, async (sql) => void (leaked = sql));
      await expect(leaked!.query('SELECT 1')).rejects.toMatchObject({ code: 'transaction_finished' });
    });

    it('honours AbortSignal: before starting and between statements (rolling back)', async () => {
      const { db, a } = get();
      await expect(db.withTenant(a.tenant.id, async () => 1, AbortSignal.abort())).rejects.toMatchObject({
        kind: 'Cancelled',
        code: 'aborted',
      });
      const controller = new AbortController();
      const run = db.withTenant(
        a.tenant.id,
        async (sql) => {
          await sql.query(`INSERT INTO teams (tenant_id, name) VALUES ($1, 'aborted-team')`, [a.tenant.id]);
          controller.abort();
          await sql.query('SELECT 1');
        },
        controller.signal,
      );
      await expect(run).rejects.toMatchObject({ kind: 'Cancelled' });
      expect(await get().catalog.forTenant(a.tenant.id).teams.getByName('aborted-team')).toBeUndefined();
    });

    it('serialises concurrent transactions without lost updates', async () => {
      const { db, a } = get();
      await db.withTenant(a.tenant.id, (sql) =>
        sql.query(`INSERT INTO consumer_offsets (tenant_id, consumer_group, topic) VALUES ($1, 'counter', 't')`, [
          a.tenant.id,
        ]),
      );
      const bump = () =>
        db.withTenant(a.tenant.id, (sql) =>
          sql.query(
            `UPDATE consumer_offsets SET position = position + 1 WHERE tenant_id = $1 AND consumer_group = 'counter'`,
            [a.tenant.id],
          ),
        );
      await Promise.all(Array.from({ length: 20 }, bump));
      const row = await db.withTenant(
        a.tenant.id,
        async (sql) =>
          (await sql.query(`SELECT position FROM consumer_offsets WHERE consumer_group = 'counter'`)).rows[0],
      );
      expect(row?.['position']).toBe('20');
    });

    it('delivers NOTIFY to listeners', async () => {
      const { db, a } = get();
      const got: string[] = [];
      const stop = await db.listen('hekima_test_wakeup', (p) => got.push(p));
      await db.withTenant(a.tenant.id, (sql) => sql.query(`SELECT pg_notify('hekima_test_wakeup', 'ping')`));
      await expect.poll(() => got, { timeout: 5000 }).toEqual(['ping']);
      await stop();
    });
  });
}
