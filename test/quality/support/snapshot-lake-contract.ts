import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsLake } from '../../../platform-core/src/adapters/fs-lake/fs-lake.js';
import { commitSnapshot, discardSnapshot } from '../../../platform-core/src/application/lake/commit-snapshot.js';
import { readableSnapshot } from '../../../platform-core/src/application/lake/read-snapshot.js';
import { sweepLake } from '../../../platform-core/src/application/lake/sweep-lake.js';
import { writeSnapshot, type SnapshotTarget } from '../../../platform-core/src/application/lake/write-snapshot.js';
import type { Lake } from '../../../platform-core/src/ports/lake.js';
import { activeTenant, sha256 } from '../../catalog/contract/contract-context.js';
import type { TestCatalog } from '../../catalog/support/test-databases.js';
import { writeParquet } from './parquet.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Atomic snapshot commit, crash recovery, retention and as-of reads: one suite, every catalog backend. */
export function snapshotLakeContract(label: string, open: () => Promise<TestCatalog>): void {
  describe(`lake snapshots on ${label}`, () => {
    let t: TestCatalog;
    let root: string;
    let lake: FsLake;
    let target: SnapshotTarget;
    let otherTenant: string;

    beforeAll(async () => {
      t = await open();
      root = await mkdtemp(join(tmpdir(), 'hekima-lake-'));
      lake = new FsLake(root);
      const tenant = await activeTenant(t, `lake-${Math.random().toString(36).slice(2, 8)}`);
      otherTenant = (await activeTenant(t, `other-${Math.random().toString(36).slice(2, 8)}`)).id;
      const ids = await t.catalog.transaction(tenant.id, async (tx) => {
        const team = await tx.teams.create({ name: 'retail' });
        const product = await tx.products.register({ name: 'outlet-daily-sales', teamId: team.id });
        const version = await tx.products.addVersion({
          productId: product.id,
          version: '1.2.0',
          manifests: {},
          manifestHash: sha256('{}'),
        });
        return { productId: product.id, versionId: version.id };
      });
      target = {
        tenantId: tenant.id,
        productId: ids.productId,
        productVersionId: ids.versionId,
        product: 'outlet-daily-sales',
        version: '1.2.0',
      };
    });
    afterAll(async () => {
      await t?.cleanup();
      if (root) await rm(root, { recursive: true, force: true });
    });

    const deps = () => ({ catalog: t.catalog, lake });
    const repo = () => t.catalog.forTenant(target.tenantId).snapshots;
    const write = (rows: number) => async (tempPath: string) => {
      await writeParquet(tempPath, `SELECT range AS n FROM range(${rows})`);
      return { rowCount: rows };
    };
    const run = async (rows: number, l: Lake = lake) => {
      const staged = await writeSnapshot({ catalog: t.catalog, lake: l }, target, write(rows));
      return commitSnapshot(deps(), staged, {
        within: async (tx, s) => {
          await tx.events.append({
            eventType: 'DataAvailable',
            productId: target.productId,
            payload: { snapshot_id: s.id },
          });
        },
      });
    };
    const eventsFor = async (snapshotId: string) =>
      (
        await t.catalog.forTenant(target.tenantId).events.list({ limit: 100 }, { eventType: 'DataAvailable' })
      ).items.filter((e) => e.payload['snapshot_id'] === snapshotId);

    it('writes the Parquet file under the tenant path and flips the pointer with the outbox event', async () => {
      const { snapshot } = await run(3);
      expect(snapshot).toMatchObject({ state: 'committed', rowCount: 3 });
      expect(snapshot.location).toBe(
        `tenant-${target.tenantId}/outlet-daily-sales/1.2.0/snapshots/${snapshot.id}/data.parquet`,
      );
      expect(await exists(join(root, snapshot.location))).toBe(true);
      expect(await readdir(dirname(join(root, snapshot.location)))).toEqual(['data.parquet']);
      expect((await repo().current(target.productId))?.id).toBe(snapshot.id);
      expect(await eventsFor(snapshot.id)).toHaveLength(1);
    });

    it('a crash while writing leaves no visible snapshot; the sweep removes the leftovers', async () => {
      const before = await repo().current(target.productId);
      const crash = writeSnapshot(deps(), target, async (tempPath) => {
        await writeFile(tempPath, 'PAR1 half a file');
        throw new Error('killed after write');
      });
      await expect(crash).rejects.toThrow('killed after write');
      expect((await repo().current(target.productId))?.id).toBe(before?.id);
      const staged = (await repo().list({}, { productId: target.productId, state: 'staged' })).items;
      expect(staged).toHaveLength(1);
      const young = await sweepLake(deps(), { ...target });
      expect(young.removed).toEqual([]);
      const swept = await sweepLake(deps(), { ...target, graceMs: 0 });
      expect(swept).toEqual({ removed: [staged[0]!.id], discarded: [staged[0]!.id] });
      expect(await exists(dirname(join(root, staged[0]!.location)))).toBe(false);
      expect(await exists(join(root, before!.location))).toBe(true);
    });

    it('a crash after the file is in place but before the commit leaves the previous snapshot current', async () => {
      const before = await repo().current(target.productId);
      const staged = await writeSnapshot(deps(), target, write(4));
      expect(await exists(staged.file.path)).toBe(true);
      await expect(
        commitSnapshot(deps(), staged, {
          within: async (tx, s) => {
            await tx.events.append({
              eventType: 'DataAvailable',
              productId: target.productId,
              payload: { snapshot_id: s.id },
            });
            throw new Error('killed before commit');
          },
        }),
      ).rejects.toThrow('killed before commit');
      expect((await repo().current(target.productId))?.id).toBe(before?.id);
      expect((await repo().get(staged.snapshot.id))?.state).toBe('staged');
      expect(await eventsFor(staged.snapshot.id)).toEqual([]);
      await expect(
        readableSnapshot(deps(), target.tenantId, target.productId, { asOf: staged.snapshot.id }),
      ).rejects.toMatchObject({
        code: 'snapshot_not_found',
      });
      expect((await sweepLake(deps(), { ...target, graceMs: 0 })).removed).toEqual([staged.snapshot.id]);
      const retry = await run(4);
      expect((await repo().current(target.productId))?.id).toBe(retry.snapshot.id);
    });

    it('a failure while publishing (fsync/rename) leaves no visible snapshot', async () => {
      const before = await repo().current(target.productId);
      const failing: Lake = Object.assign(Object.create(lake) as FsLake, {
        publish: () => Promise.reject(new Error('disk full during rename')),
      });
      await expect(run(2, failing)).rejects.toThrow('disk full');
      expect((await repo().current(target.productId))?.id).toBe(before?.id);
      const report = await sweepLake(deps(), { ...target, graceMs: 0 });
      expect(report.removed).toHaveLength(1);
    });

    it('a blocked gate discards the staged snapshot and its files', async () => {
      const before = await repo().current(target.productId);
      const staged = await writeSnapshot(deps(), target, write(1));
      const discarded = await discardSnapshot(deps(), staged);
      expect(discarded.state).toBe('discarded');
      expect(await exists(dirname(staged.file.path))).toBe(false);
      expect((await repo().current(target.productId))?.id).toBe(before?.id);
    });

    it('keeps the last N snapshots (files and rows) and reads a past one --as-of', async () => {
      const committed = [];
      for (let i = 0; i < 7; i++) {
        const staged = await writeSnapshot(deps(), target, write(10 + i));
        committed.push((await commitSnapshot(deps(), staged, { keep: 3 })).snapshot);
      }
      const visible = await repo().visible(target.productId);
      expect(visible.map((s) => s.rowCount)).toEqual([16, 15, 14]);
      const folder = join(root, `tenant-${target.tenantId}/outlet-daily-sales/1.2.0/snapshots`);
      expect((await readdir(folder)).sort()).toEqual(visible.map((s) => s.id).sort());
      expect(await repo().get(committed[0]!.id)).toBeUndefined();

      const past = committed[5]!;
      const byId = await readableSnapshot(deps(), target.tenantId, target.productId, { asOf: past.id });
      expect(byId).toMatchObject({ snapshot: { id: past.id, rowCount: 15 }, path: join(root, past.location) });
      const byTime = await readableSnapshot(deps(), target.tenantId, target.productId, { asOf: past.committedAt! });
      expect(byTime.snapshot.id).toBe(past.id);
      const current = await readableSnapshot(deps(), target.tenantId, target.productId);
      expect(current.snapshot.id).toBe(committed[6]!.id);
      await expect(
        readableSnapshot(deps(), target.tenantId, target.productId, { asOf: committed[0]!.id }),
      ).rejects.toMatchObject({ kind: 'NotFound', code: 'snapshot_not_found' });
      await expect(
        readableSnapshot(deps(), target.tenantId, target.productId, { asOf: '2001-01-01T00:00:00Z' }),
      ).rejects.toMatchObject({ code: 'snapshot_not_found' });
    });

    it('never lets a path escape the tenant folder, nor another tenant see the rows', async () => {
      await expect(writeSnapshot(deps(), { ...target, product: '../escape' }, write(1))).rejects.toMatchObject({
        code: 'invalid_lake_path',
      });
      await expect(writeSnapshot(deps(), { ...target, version: '..' }, write(1))).rejects.toMatchObject({
        code: 'invalid_lake_path',
      });
      expect(() => lake.resolve(`tenant-${target.tenantId}/../../etc/snapshots/x/data.parquet`)).toThrow(
        /not a snapshot location/,
      );
      expect(() => lake.resolve('/etc/passwd')).toThrow(/not a snapshot location/);
      const current = (await repo().current(target.productId))!;
      expect(await t.catalog.forTenant(otherTenant).snapshots.get(current.id)).toBeUndefined();
      expect(await t.catalog.forTenant(otherTenant).snapshots.current(target.productId)).toBeUndefined();
    });
  });
}
