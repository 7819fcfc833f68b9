import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServingTable } from '../../platform-core/src/adapters/postgres/serving/serving-ddl.js';
import { servingSchemaName, tableShape } from '../../platform-core/src/adapters/postgres/serving/serving-names.js';
import { openPostgresCatalog, type TestCatalog } from '../catalog/support/test-databases.js';

/**
 * `hekima run` projects several products at once: their serving tables, in one serving schema, are
 * created at the same time. The schema's GRANT is shared by every table, and two concurrent GRANTs
 * on one schema fail with "tuple concurrently updated" unless the DDL is serialised per schema.
 */
describe('serving tables created at the same time (PostgreSQL)', () => {
  let t: TestCatalog;
  beforeAll(async () => {
    t = await openPostgresCatalog('servingddl');
  }, 60_000);
  afterAll(async () => {
    await t?.db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${t.db.schema}_serving" CASCADE`));
    await t?.cleanup();
  });

  it('many tables of one fresh schema ensured concurrently all succeed', async () => {
    const schema = servingSchemaName(t.db.schema);
    const tables = Array.from({ length: 8 }, (_, i) => `lookup_p${i}_v1`);
    const results = await Promise.allSettled(
      tables.map((table) =>
        t.db.admin.transaction((sql) =>
          ensureServingTable(
            sql,
            tableShape(schema, {
              type: 'lookup',
              store: 'postgres',
              table,
              columns: [
                { name: 'id', type: 'bigint', nullable: false },
                { name: 'v', type: 'text' },
              ],
              key: ['id'],
            }),
            { catalogSchema: t.db.schema, appRole: t.db.appRole },
          ),
        ),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    const found = await t.db.admin.transaction((sql) =>
      sql.query<{ n: string }>('SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1', [schema]),
    );
    expect(Number(found.rows[0]!.n)).toBe(tables.length);
  }, 60_000);
});
