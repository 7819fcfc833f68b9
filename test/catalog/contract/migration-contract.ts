import { describe, expect, it } from 'vitest';
import { checksumOf, migrate } from '../../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { CATALOG_MIGRATIONS } from '../../../platform-core/src/adapters/postgres/migrations/index.js';
import type { ContractContext } from './contract-context.js';

/** Migrations: recorded, idempotent, tamper-evident; RLS enabled and forced on every tenant table. */
export function migrationContract(get: () => ContractContext): void {
  describe('migrations', () => {
    it('records every migration once and applies nothing on a second (and third) run', async () => {
      const { db } = get();
      expect(await migrate(db)).toEqual({ applied: [], version: CATALOG_MIGRATIONS.at(-1)!.version });
      expect(await migrate(db)).toEqual({ applied: [], version: CATALOG_MIGRATIONS.at(-1)!.version });
      const rows = await db.admin.transaction(
        async (sql) => (await sql.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows,
      );
      expect(rows).toEqual(
        CATALOG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, checksum: checksumOf(m) })),
      );
    });

    it('refuses an edited migration and a catalog newer than the code', async () => {
      const { db } = get();
      const edited = CATALOG_MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: m.sql + '\n-- edited' } : m));
      await expect(migrate(db, { migrations: edited })).rejects.toMatchObject({
        kind: 'Permanent',
        code: 'migration_mismatch',
      });
      await expect(migrate(db, { migrations: CATALOG_MIGRATIONS.slice(0, 3) })).rejects.toMatchObject({
        code: 'migration_mismatch',
      });
    });

    it('enables and forces row-level security on every table with tenant_id', async () => {
      const { db } = get();
      const rows = await db.admin.transaction(
        async (sql) =>
          (
            await sql.query(
              `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                    EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = n.nspname AND k.table_name = c.relname AND k.column_name = 'tenant_id') AS tenanted,
                    (SELECT count(*) FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname) AS policies
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
              [db.schema],
            )
          ).rows,
      );
      for (const row of rows) {
        if (row['table'] === 'schema_migrations') {
          expect(row).toMatchObject({ tenanted: false, enabled: false });
          continue;
        }
        const policies = row['table'] === 'events' ? '2' : '1'; // events: + the restrictive DELETE policy (012)
        expect(row, String(row['table'])).toMatchObject({ enabled: true, forced: true, policies });
        // tenants is keyed by id; workers and the audit head's key are installation infrastructure
        // (admin path only, no grants).
        const installation = ['tenants', 'workers', 'audit_head_key'].includes(String(row['table']));
        expect(row['tenanted'] || installation, String(row['table'])).toBe(true);
      }
      expect(rows).toHaveLength(26);
    });
  });
}
