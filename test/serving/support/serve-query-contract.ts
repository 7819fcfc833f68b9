import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbAnalyticsStore } from '../../../platform-core/src/adapters/duckdb/duckdb-analytics-store.js';
import { DuckDbCheckEngine } from '../../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { FsLake } from '../../../platform-core/src/adapters/fs-lake/fs-lake.js';
import { PostgresServingStore } from '../../../platform-core/src/adapters/postgres/serving/postgres-serving-store.js';
import { DisabledRealtimeStore } from '../../../platform-core/src/adapters/redis/disabled-realtime-store.js';
import { commitSnapshot } from '../../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot, type SnapshotTarget } from '../../../platform-core/src/application/lake/write-snapshot.js';
import { projectSnapshot, type ServingDeps } from '../../../platform-core/src/application/serving/project-snapshot.js';
import { queryProduct, type QueryRequest } from '../../../platform-core/src/application/serving/query-product.js';
import type { ProductPlan } from '../../../platform-core/src/domain/plan/product-plan.js';
import { MASKED } from '../../../platform-core/src/domain/quality/masking.js';
import { activeTenant, sha256 } from '../../catalog/contract/contract-context.js';
import type { TestCatalog } from '../../catalog/support/test-databases.js';
import { writeParquet } from '../../quality/support/parquet.js';
import { planColumns, writerFor } from './serving-fixtures.js';

const PRODUCT = 'customer-profiles';
const columns = planColumns('customer_id:string:pk', 'email', 'segment', 'spend:decimal(10,2)');
export const testPlan = (
  serving = [
    writerFor('lookup', PRODUCT, columns, { index_columns: ['customer_id', 'segment'] }),
    writerFor('analytics', PRODUCT, columns),
  ],
) =>
  ({
    product: { name: PRODUCT, version: '1.0.0', classification: 'confidential', domain: null, folder: PRODUCT },
    output: { relation: 'output', columns, format: 'parquet', partitioning: [] },
    serving,
  }) as unknown as ProductPlan;
const classifications = { customer_id: 'internal', email: 'restricted', segment: 'internal', spend: 'confidential' };
const values = (rows: string) =>
  `SELECT customer_id, email, segment, CAST(spend AS DECIMAL(10,2)) AS spend FROM (VALUES ${rows}) AS t(customer_id, email, segment, spend)`;

/** Commit snapshots through application/lake, project them, query them: every catalog backend. */
export function serveQueryContract(label: string, open: () => Promise<TestCatalog>): void {
  describe(`serve and query on ${label}`, () => {
    let t: TestCatalog;
    let root: string;
    let tenantId: string;
    let target: SnapshotTarget;
    let deps: ServingDeps;
    let lookup: PostgresServingStore;
    const snapshots: string[] = [];
    const commit = async (rows: string) => {
      const staged = await writeSnapshot(deps, target, async (temp) => {
        await writeParquet(temp, values(rows));
        return { rowCount: 2 };
      });
      const { snapshot } = await commitSnapshot(deps, staged);
      snapshots.push(snapshot.id);
      return snapshot;
    };
    const query = (extra: Partial<QueryRequest> = {}) =>
      queryProduct(deps, {
        tenantId,
        plan: testPlan(),
        columnClassifications: classifications,
        clearance: 'internal',
        ...extra,
      });

    beforeAll(async () => {
      t = await open();
      root = await mkdtemp(join(tmpdir(), 'hekima-serve-'));
      lookup = new PostgresServingStore(t.db, 'lookup');
      deps = {
        catalog: t.catalog,
        lake: new FsLake(root),
        checkEngine: new DuckDbCheckEngine(),
        stores: {
          lookup,
          timeseries: new PostgresServingStore(t.db, 'timeseries'),
          realtime: new DisabledRealtimeStore(),
          analytics: new DuckDbAnalyticsStore(),
        },
      };
      tenantId = (await activeTenant(t, `query-${Math.random().toString(36).slice(2, 8)}`)).id;
      target = await t.catalog.transaction(tenantId, async (tx) => {
        const team = await tx.teams.create({ name: 'crm' });
        const product = await tx.products.register({ name: PRODUCT, teamId: team.id });
        const version = await tx.products.addVersion({
          productId: product.id,
          version: '1.0.0',
          manifests: {},
          manifestHash: sha256(PRODUCT),
        });
        return { tenantId, productId: product.id, productVersionId: version.id, product: PRODUCT, version: '1.0.0' };
      });
    });
    afterAll(async () => {
      await t?.db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${lookup.schema}" CASCADE`));
      await t?.cleanup();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('a product never run says so plainly', async () => {
      await expect(query()).rejects.toMatchObject({
        kind: 'NotFound',
        code: 'product_never_run',
        message: expect.stringContaining('has never been run'),
      });
    });

    it('projects the committed snapshot, promotes it, and serves filtered, masked lookups', async () => {
      const first = await commit(`('C1', 'a@x.io', 'gold', 10.5), ('C2', 'b@x.io', 'silver', 3)`);
      const report = await projectSnapshot(deps, { tenantId, productId: target.productId, plan: testPlan() });
      expect(report).toEqual({
        snapshotId: first.id,
        promoted: true,
        endpoints: [
          {
            endpoint: 'lookup',
            status: 'served',
            written: 2,
            retired: 0,
            target: `${lookup.schema}.lookup_customer_profiles_v1`,
          },
          {
            endpoint: 'analytics',
            status: 'served',
            written: 0,
            retired: 0,
            target: expect.stringContaining(first.id),
          },
        ],
      });
      expect((await t.catalog.forTenant(tenantId).snapshots.get(first.id))?.state).toBe('promoted');
      const internal = await query({ filters: [{ column: 'customer_id', value: 'C1' }] });
      expect(internal).toMatchObject({ source: 'lookup', snapshotId: first.id, masked: ['email', 'spend'] });
      expect(internal.rows).toEqual([{ customer_id: 'C1', email: MASKED, segment: 'gold', spend: MASKED }]);
      const restricted = await query({ clearance: 'restricted', filters: [{ column: 'segment', value: 'silver' }] });
      expect(restricted.rows).toEqual([{ customer_id: 'C2', email: 'b@x.io', segment: 'silver', spend: '3.00' }]);
      // Fail closed: no or an unknown clearance reads only public columns (none here).
      for (const clearance of [undefined, 'root']) {
        const r = await query({ clearance, filters: [{ column: 'segment', value: 'gold' }] }).catch((e: unknown) => e);
        expect(r).toMatchObject({ code: 'filter_on_masked_column' });
        expect((await query({ clearance })).rows[0]).toEqual({
          customer_id: MASKED,
          email: MASKED,
          segment: MASKED,
          spend: MASKED,
        });
      }
      await expect(query({ filters: [{ column: 'email', value: 'a@x.io' }] })).rejects.toMatchObject({
        code: 'filter_on_masked_column',
      });
    });

    it('--sql runs in a sandbox over the masked snapshot only, under the product id and its underscore form', async () => {
      const agg = await query({
        sql: 'SELECT segment, count(*) AS n FROM customer_profiles GROUP BY segment ORDER BY segment;',
      });
      expect(agg).toMatchObject({ source: 'analytics', columns: ['segment', 'n'] });
      expect(agg.rows).toEqual([
        { segment: 'gold', n: 1 },
        { segment: 'silver', n: 1 },
      ]);
      const leak = await query({
        sql: `SELECT email AS customer_id, max(spend) AS m FROM "customer-profiles" GROUP BY email ORDER BY 1`,
      });
      expect(leak.rows).toEqual([{ customer_id: MASKED, m: MASKED }]);
      const path = new FsLake(root).resolve(
        (await t.catalog.forTenant(tenantId).snapshots.current(target.productId))!.location,
      );
      await expect(query({ sql: `SELECT * FROM read_parquet('${path}')` })).rejects.toMatchObject({
        code: 'query_failed',
      });
      await expect(query({ sql: 'SELECT 1', filters: [{ column: 'customer_id', value: 'C1' }] })).rejects.toMatchObject(
        { code: 'sql_with_filters' },
      );
    });

    it('--as-of reads a past snapshot; a committed but not yet projected snapshot is read from the lake', async () => {
      const second = await commit(`('C1', 'a@x.io', 'platinum', 11), ('C3', 'c@x.io', 'gold', 1)`);
      await projectSnapshot(deps, { tenantId, productId: target.productId, plan: testPlan() });
      expect((await query({ clearance: 'restricted' })).rows.map((r) => [r['customer_id'], r['segment']])).toEqual([
        ['C1', 'platinum'],
        ['C3', 'gold'],
      ]);
      const past = await query({ asOf: snapshots[0]!, clearance: 'restricted' });
      expect(past).toMatchObject({ source: 'analytics', snapshotId: snapshots[0] });
      expect(past.rows).toEqual([
        { customer_id: 'C1', email: 'a@x.io', segment: 'gold', spend: '10.50' },
        { customer_id: 'C2', email: 'b@x.io', segment: 'silver', spend: '3.00' },
      ]);
      const third = await commit(`('C9', 'z@x.io', 'gold', 2), ('C8', 'y@x.io', 'gold', 2)`);
      const unprojected = await query({ filters: [{ column: 'segment', value: 'gold' }] });
      expect(unprojected).toMatchObject({ source: 'analytics', snapshotId: third.id });
      expect(unprojected.rows.map((r) => r['customer_id'])).toEqual(['C8', 'C9']);
      expect(second.id).not.toBe(third.id);
    });
  });
}
