import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../platform-core/src/ports/sql-database.js';
import { openPgliteCatalog, openPostgresCatalog, type TestCatalog } from './support/test-databases.js';

/**
 * The same migrations build the same catalog on both drivers: tables, columns, constraints,
 * indexes, RLS policies, triggers and grants are compared through information_schema / pg_catalog.
 */
async function describeSchema(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    columns: `SELECT table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default, datetime_precision, is_identity
              FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    constraints: `SELECT cl.relname AS table_name, co.conname, co.contype, pg_get_constraintdef(co.oid) AS def
                  FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                  WHERE n.nspname = $1 AND co.contype <> 'n' ORDER BY 1, 2`, // PostgreSQL 18 also lists NOT NULL here (see columns)
    indexes: `SELECT tablename, indexname, replace(indexdef, $1 || '.', 'SCHEMA.') AS def FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2`,
    policies: `SELECT tablename, policyname, cmd, roles::text AS roles, qual, with_check FROM pg_policies WHERE schemaname = $1 ORDER BY 1, 2`,
    rls: `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
    triggers: `SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_orientation, action_condition, action_statement
               FROM information_schema.triggers WHERE trigger_schema = $1 ORDER BY 1, 2, 3`,
    functions: `SELECT p.proname, p.prosrc, p.proconfig::text AS config FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1`,
    grants: `SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema = $1 AND grantee = $2 ORDER BY 1, 2`,
  };
  const out: Record<string, unknown[]> = {};
  await db.admin.transaction(async (sql) => {
    for (const [name, text] of Object.entries(queries)) {
      const params = name === 'grants' ? [db.schema, db.appRole] : [db.schema];
      const rows = (await sql.query(text, params)).rows;
      // The schema name differs per test run (and may prefix the app role's, e.g. hekima /
      // hekima_app): both are named first; everything else must match exactly.
      out[name] = JSON.parse(JSON.stringify(rows).replaceAll(db.appRole, 'APP_ROLE').replaceAll(db.schema, 'SCHEMA'));
    }
  });
  return out;
}

describe('migrations are identical on PGlite and PostgreSQL', () => {
  let pglite: TestCatalog;
  let postgres: TestCatalog;
  beforeAll(async () => {
    [pglite, postgres] = await Promise.all([openPgliteCatalog(), openPostgresCatalog('parity')]);
  });
  afterAll(async () => {
    await Promise.all([pglite?.cleanup(), postgres?.cleanup()]);
  });

  it('builds the same tables, columns, constraints, indexes, policies, triggers, functions and grants', async () => {
    const [embedded, server] = await Promise.all([describeSchema(pglite.db), describeSchema(postgres.db)]);
    expect(embedded['columns']!.length).toBeGreaterThan(150);
    for (const key of Object.keys(server)) expect(embedded[key], key).toEqual(server[key]);
  });
});
