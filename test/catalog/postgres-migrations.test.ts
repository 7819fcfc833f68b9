import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PostgresDatabase } from '../../platform-core/src/adapters/postgres/postgres-database.js';
import { CATALOG_MIGRATIONS } from '../../platform-core/src/adapters/postgres/migrations/index.js';
import { TEST_DATABASE_URL, testSchemaName } from './support/test-databases.js';

/**
 * Server-only: several processes start at once. Migrations of one schema serialise on the advisory
 * lock (each applied exactly once); a brand-new app role created concurrently for two schemas
 * does not fail on the race (duplicate_object / unique_violation are tolerated).
 */
describe('migrations under concurrency (PostgreSQL)', () => {
  const role = `hekima_app_t_${randomBytes(4).toString('hex')}`;
  const schemas = [testSchemaName('race1'), testSchemaName('race2')];
  const open: PostgresDatabase[] = [];
  const connect = async (schema: string) => {
    const db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, appRole: role, poolSize: 2 });
    open.push(db);
    return db;
  };
  afterAll(async () => {
    const admin = open[0];
    if (admin) {
      await admin.admin.transaction(async (sql) => {
        for (const schema of schemas) await sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await sql.exec(`DROP OWNED BY "${role}"; DROP ROLE IF EXISTS "${role}"`);
      });
    }
    await Promise.all(open.map((db) => db.close()));
  });

  it('applies each migration once when four migrators race on two schemas with a new role', async () => {
    const dbs = await Promise.all([
      connect(schemas[0]!),
      connect(schemas[0]!),
      connect(schemas[1]!),
      connect(schemas[1]!),
    ]);
    const reports = await Promise.all(dbs.map((db) => migrate(db)));
    const all = CATALOG_MIGRATIONS.map((m) => m.version);
    for (const pair of [reports.slice(0, 2), reports.slice(2)]) {
      expect([...pair[0]!.applied, ...pair[1]!.applied].sort((a, b) => a - b)).toEqual(all);
    }
    const who = await dbs[0]!.withTenant(
      '00000000-0000-4000-8000-000000000001',
      async (sql) => (await sql.query('SELECT current_user AS u')).rows[0],
    );
    expect(who).toEqual({ u: role });
  });
});
