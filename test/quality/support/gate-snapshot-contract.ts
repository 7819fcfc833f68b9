import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { FsLake } from '../../../platform-core/src/adapters/fs-lake/fs-lake.js';
import { LangiumCheckExpressions } from '../../../platform-core/src/adapters/langium/langium-check-expressions.js';
import { commitSnapshot } from '../../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot, type SnapshotTarget } from '../../../platform-core/src/application/lake/write-snapshot.js';
import { gateSnapshot } from '../../../platform-core/src/application/quality/gate-snapshot.js';
import { MASKED } from '../../../platform-core/src/domain/quality/masking.js';
import { maskOutcome } from '../../../platform-core/src/domain/quality/result-masking.js';
import { activeTenant, sha256 } from '../../catalog/contract/contract-context.js';
import type { TestCatalog } from '../../catalog/support/test-databases.js';
import { planCheck, writeParquet } from './parquet.js';

/** The gate between a written snapshot and a visible one, with results persisted: every catalog backend. */
export function gateSnapshotContract(label: string, open: () => Promise<TestCatalog>): void {
  describe(`quality gate before promotion on ${label}`, () => {
    let t: TestCatalog;
    let root: string;
    let tenantId: string;
    const targets: Record<string, SnapshotTarget> = {};
    const deps = () => ({
      catalog: t.catalog,
      lake: new FsLake(root),
      checkEngine: new DuckDbCheckEngine(),
      expressions: new LangiumCheckExpressions(),
    });
    const stage = (product: string, select: string) =>
      writeSnapshot(deps(), targets[product]!, async (temp) => {
        await writeParquet(temp, select);
        return { rowCount: 2 };
      });
    const checks = (severity: string) => [
      planCheck(
        'known_store',
        'referential',
        { column: 'store_id', reference_product: 'stores', reference_column: 'store_id' },
        { severity },
      ),
      planCheck('rows', 'volume', { min_rows: 1 }),
    ];
    const classification = {
      classification: { product: 'confidential', columns: { store_id: 'internal', revenue: 'confidential' } },
    };

    beforeAll(async () => {
      t = await open();
      root = await mkdtemp(join(tmpdir(), 'hekima-gate-lake-'));
      tenantId = (await activeTenant(t, `gate-${Math.random().toString(36).slice(2, 8)}`)).id;
      await t.catalog.transaction(tenantId, async (tx) => {
        const team = await tx.teams.create({ name: 'retail' });
        for (const name of ['stores', 'sales']) {
          const product = await tx.products.register({ name, teamId: team.id });
          const version = await tx.products.addVersion({
            productId: product.id,
            version: '1.0.0',
            manifests: {},
            manifestHash: sha256(name),
          });
          targets[name] = {
            tenantId,
            productId: product.id,
            productVersionId: version.id,
            product: name,
            version: '1.0.0',
          };
        }
      });
      const stores = await stage('stores', `SELECT * FROM (VALUES ('S1'), ('S2')) AS t(store_id)`);
      await commitSnapshot(deps(), stores);
    });
    afterAll(async () => {
      await t?.cleanup();
      if (root) await rm(root, { recursive: true, force: true });
    });
    const snapshots = () => t.catalog.forTenant(tenantId).snapshots;

    it('passing checks: results stored and the snapshot committed in one transaction', async () => {
      const sales = targets['sales']!;
      const { execution } = await t.catalog.forTenant(tenantId).executions.create({
        productId: sales.productId,
        productVersionId: sales.productVersionId!,
        trigger: 'manual',
        idempotencyKey: `sales:${Math.random()}`,
      });
      const staged = await writeSnapshot(deps(), { ...sales, executionId: execution.id }, async (temp) => {
        await writeParquet(temp, `SELECT * FROM (VALUES ('S1', 10.0), ('S2', 20.0)) AS t(store_id, revenue)`);
        return { rowCount: 2 };
      });
      const out = await gateSnapshot(deps(), staged, { product: 'sales', checks: checks('error'), ...classification });
      const ofExecution = await t.catalog.forTenant(tenantId).qualityResults.ofExecution(execution.id);
      expect(ofExecution.map((r) => [r.name, r.snapshotId, r.executionId])).toEqual([
        ['known_store', staged.snapshot.id, execution.id],
        ['rows', staged.snapshot.id, execution.id],
      ]);
      expect(out.snapshot.executionId).toBe(execution.id);
      expect(out.gate).toMatchObject({ promote: true, score: 100 });
      expect(out.snapshot).toMatchObject({ id: staged.snapshot.id, state: 'committed' });
      expect((await snapshots().current(targets['sales']!.productId))?.id).toBe(staged.snapshot.id);
      const stored = (await t.catalog.forTenant(tenantId).qualityResults.list({}, { snapshotId: staged.snapshot.id }))
        .items;
      expect(stored.map((r) => [r.name, r.status, r.measured]).sort()).toEqual([
        ['known_store', 'passed', 0],
        ['rows', 'passed', 2],
      ]);
    });

    it('a failing warn check is recorded and the data still promoted', async () => {
      const staged = await stage('sales', `SELECT * FROM (VALUES ('S1', 1.0), ('S7', 2.0)) AS t(store_id, revenue)`);
      const out = await gateSnapshot(deps(), staged, { product: 'sales', checks: checks('warn'), ...classification });
      expect(out.gate).toMatchObject({ promote: true, score: 50 });
      expect(out.results.map((r) => [r.name, r.status, r.severity, r.blocking])).toEqual([
        ['known_store', 'failed', 'warn', false],
        ['rows', 'passed', 'error', true],
      ]);
      // Stored as they are, with their classification; masked per the reader when read.
      expect(out.results[0]!.samples).toEqual([{ store_id: 'S7', revenue: '2.0' }]);
      expect(out.results[0]!.classification).toEqual(classification.classification);
      const stored = (
        await t.catalog.forTenant(tenantId).qualityResults.list({}, { snapshotId: staged.snapshot.id })
      ).items.find((r) => r.name === 'known_store');
      expect(stored?.classification).toEqual(classification.classification);
      expect(maskOutcome(stored!, stored!.classification!, 'internal').outcome.samples).toEqual([
        { store_id: 'S7', revenue: MASKED },
      ]);
      expect((await snapshots().current(targets['sales']!.productId))?.id).toBe(staged.snapshot.id);
    });

    it('a failing error check blocks: QualityGateFailed, snapshot discarded, previous stays current, results kept', async () => {
      const previous = (await snapshots().current(targets['sales']!.productId))!;
      const staged = await stage('sales', `SELECT * FROM (VALUES ('S9', 5.0), ('S1', 6.0)) AS t(store_id, revenue)`);
      // The error travels (execution row, logs, output): masked as for a public reader.
      await expect(
        gateSnapshot(deps(), staged, { product: 'sales', checks: checks('error'), ...classification }),
      ).rejects.toMatchObject({
        kind: 'QualityGateFailed',
        code: 'quality_gate_failed',
        details: { product: 'sales', score: 50, failures: [{ samples: [{ store_id: MASKED, revenue: MASKED }] }] },
      });
      expect((await snapshots().get(staged.snapshot.id))?.state).toBe('discarded');
      expect((await snapshots().current(targets['sales']!.productId))?.id).toBe(previous.id);
      const stored = (await t.catalog.forTenant(tenantId).qualityResults.list({}, { snapshotId: staged.snapshot.id }))
        .items;
      const failed = stored.find((r) => r.name === 'known_store')!;
      expect(failed).toMatchObject({
        status: 'failed',
        measured: 1,
        threshold: { reference_product: 'stores', reference_column: 'store_id' },
      });
      expect(failed.samples).toEqual([{ store_id: 'S9', revenue: '5.0' }]);
      expect(maskOutcome(failed, failed.classification!, 'internal').outcome.samples).toEqual([
        { store_id: 'S9', revenue: MASKED },
      ]);
    });
  });
}
