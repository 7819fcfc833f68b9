import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresServingStore } from '../../../platform-core/src/adapters/postgres/serving/postgres-serving-store.js';
import { MASKED } from '../../../platform-core/src/domain/quality/masking.js';
import type { ServedRow } from '../../../platform-core/src/ports/serving-store.js';
import { activeTenant } from '../../catalog/contract/contract-context.js';
import type { TestCatalog } from '../../catalog/support/test-databases.js';
import { planColumns, projection, writerFor } from './serving-fixtures.js';

const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';
const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';
const columns = planColumns('customer_id:string:pk', 'name', 'segment', 'spend:decimal(10,2)');
const row = (customer_id: string, name: string, segment: string, spend: string): ServedRow => ({
  customer_id,
  name,
  segment,
  spend,
});
// Snapshot 2: C1 changes an untracked column, C2 a tracked one, C3 disappears, C4 is new.
const first = [
  row('C1', 'Ada', 'gold', '10.00'),
  row('C2', 'Bob', 'silver', '5.00'),
  row('C3', 'Cy', 'bronze', '1.00'),
];
const second = [row('C1', 'Ada', 'gold', '12.00'), row('C2', 'Bob', 'gold', '5.00'), row('C4', 'Di', 'silver', '3.00')];

/** The PostgreSQL serving stores (lookup, timeseries): one suite for PGlite and PostgreSQL. */
export function postgresServingContract(label: string, open: () => Promise<TestCatalog>): void {
  describe(`PostgreSQL serving stores on ${label}`, () => {
    let t: TestCatalog;
    let lookup: PostgresServingStore;
    let a: string;
    let b: string;
    const tag = Math.random().toString(36).slice(2, 8);

    beforeAll(async () => {
      t = await open();
      lookup = new PostgresServingStore(t.db, 'lookup');
      a = (await activeTenant(t, `serve-a-${tag}`)).id;
      b = (await activeTenant(t, `serve-b-${tag}`)).id;
    });
    afterAll(async () => {
      await t?.db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${lookup.schema}" CASCADE`));
      await t?.cleanup();
    });

    const all = (table: string, extra = '') =>
      t.db.admin.transaction(async (sql) => {
        await sql.exec(`SET LOCAL TimeZone = 'UTC'`);
        const r = await sql.query(
          `SELECT customer_id, segment, spend::text AS spend${extra} FROM "${lookup.schema}"."${table}" WHERE tenant_id = $1 ORDER BY 1${extra.includes('valid_from') ? ', valid_from' : ''}`,
          [a],
        );
        return r.rows;
      });
    const twice = async (product: string, config: Record<string, unknown>) => {
      const writer = writerFor('lookup', product, columns, config);
      const r1 = await lookup.project(projection(a, S1, T1, writer, columns, first, product));
      const r2 = await lookup.project(projection(a, S2, T2, writer, columns, second, product));
      return { writer, r1, r2 };
    };

    it('current: upsert by key, keys absent from the new snapshot are deleted', async () => {
      const { r1, r2 } = await twice('customers-current', {});
      expect(r1).toMatchObject({ endpoint: 'lookup', status: 'served', written: 3, retired: 0 });
      expect(r2).toMatchObject({
        status: 'served',
        written: 3,
        retired: 1,
        target: `${lookup.schema}.lookup_customers_current_v1`,
      });
      expect(await all('lookup_customers_current_v1')).toEqual([
        { customer_id: 'C1', segment: 'gold', spend: '12.00' },
        { customer_id: 'C2', segment: 'gold', spend: '5.00' },
        { customer_id: 'C4', segment: 'silver', spend: '3.00' },
      ]);
    });

    it('type_2: a tracked change closes the row and opens a new one; an absent key is closed; untracked changes update in place', async () => {
      const { r2 } = await twice('customers-t2', { history_mode: 'type_2', tracked_columns: ['segment'] });
      expect(r2).toMatchObject({ written: 2, retired: 1 });
      const ts = (iso: string | null) => (iso === null ? null : new Date(iso));
      const rows = await all('lookup_customers_t2_v1', ', valid_from, valid_to, is_current');
      expect(rows).toEqual([
        { customer_id: 'C1', segment: 'gold', spend: '12.00', valid_from: ts(T1), valid_to: null, is_current: true },
        {
          customer_id: 'C2',
          segment: 'silver',
          spend: '5.00',
          valid_from: ts(T1),
          valid_to: ts(T2),
          is_current: false,
        },
        { customer_id: 'C2', segment: 'gold', spend: '5.00', valid_from: ts(T2), valid_to: null, is_current: true },
        {
          customer_id: 'C3',
          segment: 'bronze',
          spend: '1.00',
          valid_from: ts(T1),
          valid_to: ts(T2),
          is_current: false,
        },
        { customer_id: 'C4', segment: 'silver', spend: '3.00', valid_from: ts(T2), valid_to: null, is_current: true },
      ]);
      // Re-projecting the same snapshot changes nothing.
      const writer = writerFor('lookup', 'customers-t2', columns, {
        history_mode: 'type_2',
        tracked_columns: ['segment'],
      });
      await lookup.project(projection(a, S2, T2, writer, columns, second, 'customers-t2'));
      expect(await all('lookup_customers_t2_v1', ', valid_from, valid_to, is_current')).toEqual(rows);
    });

    it('type_3: previous_<col> keeps the value before the last change; absent keys are deleted', async () => {
      const { writer } = await twice('customers-t3', { history_mode: 'type_3', tracked_columns: ['segment'] });
      expect(await all('lookup_customers_t3_v1', ', previous_segment')).toEqual([
        { customer_id: 'C1', segment: 'gold', spend: '12.00', previous_segment: null },
        { customer_id: 'C2', segment: 'gold', spend: '5.00', previous_segment: 'silver' },
        { customer_id: 'C4', segment: 'silver', spend: '3.00', previous_segment: null },
      ]);
      const request = {
        tenantId: a,
        product: 'customers-t3',
        version: '1.0.0',
        columns,
        writer,
        filters: [{ column: 'customer_id', value: 'C2' }],
        masked: ['name'],
        limit: 10,
      };
      const read = await lookup.read(request);
      expect(read.rows).toEqual([
        { customer_id: 'C2', name: MASKED, segment: 'gold', spend: '5.00', previous_segment: 'silver' },
      ]);
      // Masked in the store's query, and a tracked column's earlier value with it.
      const hidden = await lookup.read({ ...request, masked: ['segment', 'spend'] });
      expect(hidden.rows).toEqual([
        { customer_id: 'C2', name: 'Bob', segment: MASKED, spend: MASKED, previous_segment: MASKED },
      ]);
    });

    it('reads filter only on indexed columns and never on masked ones', async () => {
      const writer = writerFor('lookup', 'customers-current', columns, {});
      const base = {
        tenantId: a,
        product: 'customers-current',
        version: '1.0.0',
        columns,
        writer,
        masked: [] as string[],
        limit: 10,
      };
      await expect(lookup.read({ ...base, filters: [{ column: 'segment', value: 'gold' }] })).rejects.toMatchObject({
        code: 'filter_not_indexed',
      });
      await expect(
        lookup.read({ ...base, masked: ['customer_id'], filters: [{ column: 'customer_id', value: 'C1' }] }),
      ).rejects.toMatchObject({ code: 'filter_on_masked_column' });
      expect((await lookup.read({ ...base, filters: [] })).rows.map((r) => r['customer_id'])).toEqual([
        'C1',
        'C2',
        'C4',
      ]);
    });

    it('RLS isolates tenants in a serving table, even for raw SQL as the app role', async () => {
      const writer = writerFor('lookup', 'customers-current', columns, {});
      await lookup.project(
        projection(b, S1, T1, writer, columns, [row('B1', 'Zed', 'gold', '1.00')], 'customers-current'),
      );
      const table = `"${lookup.schema}"."lookup_customers_current_v1"`;
      const ids = (tenant: string) =>
        t.db.withTenant(tenant, async (sql) =>
          (await sql.query(`SELECT customer_id FROM ${table} ORDER BY 1`)).rows.map((r) => r['customer_id']),
        );
      expect(await ids(a)).toEqual(['C1', 'C2', 'C4']);
      expect(await ids(b)).toEqual(['B1']);
      await expect(
        t.db.withTenant(b, (sql) =>
          sql.query(`INSERT INTO ${table} (tenant_id, customer_id, hekima_snapshot_id) VALUES ($1, 'X', $2)`, [a, S1]),
        ),
      ).rejects.toThrow();
      const unset = await t.db.admin.transaction(async (sql) => {
        await sql.exec(`SET LOCAL ROLE ${t.db.appRole}`);
        return (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.['n'];
      });
      expect(unset).toBe(0);
      // B's projection did not retire A's rows.
      expect(await ids(a)).toEqual(['C1', 'C2', 'C4']);
    });

    it('timeseries: a table with a BRIN index on the time column (or a hypertable), rows kept across snapshots', async () => {
      const ts = new PostgresServingStore(t.db, 'timeseries');
      const cols = planColumns('sensor_id:string:pk', 'reading_at:timestamp:pk', 'value:float');
      const writer = writerFor('timeseries', 'readings', cols, { time_column: 'reading_at' });
      const r1 = await ts.project(
        projection(
          a,
          S1,
          T1,
          writer,
          cols,
          [{ sensor_id: 'A', reading_at: '2026-11-01 10:00:00', value: 1.5 }],
          'readings',
        ),
      );
      await ts.project(
        projection(
          a,
          S2,
          T2,
          writer,
          cols,
          [{ sensor_id: 'A', reading_at: '2026-11-01 11:00:00', value: 2.5 }],
          'readings',
        ),
      );
      const timescale = await t.db.admin.transaction(
        async (sql) => (await sql.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)).rowCount > 0,
      );
      expect(r1).toMatchObject({
        endpoint: 'timeseries',
        status: 'served',
        storage: timescale ? 'hypertable' : 'brin',
      });
      if (!timescale) {
        const idx = await t.db.admin.transaction(async (sql) =>
          (
            await sql.query(
              `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'timeseries_readings_v1'`,
              [ts.schema],
            )
          ).rows.map((r) => String(r['indexdef'])),
        );
        expect(idx.some((d) => /USING brin \(reading_at\)/.test(d))).toBe(true);
      }
      const read = await ts.read({
        tenantId: a,
        product: 'readings',
        version: '1.0.0',
        columns: cols,
        writer,
        filters: [{ column: 'sensor_id', value: 'A' }],
        masked: [],
        limit: 10,
      });
      expect(read.rows).toEqual([
        { sensor_id: 'A', reading_at: '2026-11-01T10:00:00+00:00', value: 1.5 },
        { sensor_id: 'A', reading_at: '2026-11-01T11:00:00+00:00', value: 2.5 },
      ]);
    });
  });
}
