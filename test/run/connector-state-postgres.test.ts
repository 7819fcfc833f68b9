import pg from 'pg';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { currentRows, RETAIL } from './run-support.js';
import { edit, runProduct, stateOf } from './connector-state-support.js';

const SCHEMA = `hekima_state_${process.pid}`;
const ENV = { ERP_PASSWORD: '' }; // trust auth on the test server

/**
 * PostgreSQL incremental (high-water mark on updated_at, upsert by [outlet_id, sku]) through
 * `hekima run` on the retail workspace's erp-inventory product, against the real server: the
 * state advances only with a committed snapshot, so a blocked run loses and repeats nothing.
 */
describe('connector state with the snapshot: PostgreSQL incremental (real server)', () => {
  let admin: pg.Client;
  let dir: string;
  let platform: Platform;
  const PRODUCT = 'erp-inventory';
  const INPUT = 'erp-stock-levels';
  const stock = async () =>
    (await currentRows(platform, PRODUCT)).rows
      .map((r) => `${String(r['outlet_id'])}/${String(r['sku'])}=${String(r['on_hand_qty'])}`)
      .sort();
  const table = async () =>
    (
      await admin.query<{ k: string }>(
        `SELECT outlet_id || '/' || sku || '=' || on_hand_qty AS k FROM ${SCHEMA}.inventory_levels`,
      )
    ).rows
      .map((r) => r.k)
      .sort();

  beforeAll(async () => {
    admin = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
    await admin.connect();
    const seed = await readFile(join(RETAIL, 'data/erp/inventory_levels.sql'), 'utf8');
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await admin.query(seed.replaceAll('public.inventory_levels', `${SCHEMA}.inventory_levels`));
    dir = await mkdtemp(join(tmpdir(), 'hekima-state-pg-'));
    await cp(RETAIL, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
    await edit(dir, 'erp-inventory/inputs.yaml', 'table: inventory_levels', `table: ${SCHEMA}.inventory_levels`);
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin?.end();
  });

  it('reads only rows above the committed high-water mark and upserts them by primary key', async () => {
    const first = await runProduct(platform, dir, PRODUCT, ENV);
    expect(first.report, first.report.reason).toMatchObject({ status: 'succeeded', rows: 32 });
    expect(await stock()).toEqual(await table());
    const s1 = (await stateOf(platform, PRODUCT, INPUT))!;
    expect(s1.state['cursor']).toMatch(/^2026-03-08 22:45:00/);
    expect(s1.snapshotId).toBe(first.report.snapshotId);
    expect(s1.dataLocation).toMatch(/\/erp-inventory\/[^/]+\/inputs\/erp-stock-levels\/[0-9a-f-]{36}\.parquet$/);

    await admin.query(`UPDATE ${SCHEMA}.inventory_levels SET on_hand_qty = 99, updated_at = '2026-03-10 10:00:00'
                       WHERE outlet_id = 'ELD-001' AND sku = 'SKU-10009'`);
    await admin.query(
      `INSERT INTO ${SCHEMA}.inventory_levels VALUES ('ZZZ-001', 'SKU-10001', 4, 2, '2026-03-10 11:00:00')`,
    );
    // Proof of incrementality: a delete is invisible to a high-water mark, so the row stays.
    const gone = 'NBO-001/SKU-10005=60';
    await admin.query(`DELETE FROM ${SCHEMA}.inventory_levels WHERE outlet_id = 'NBO-001' AND sku = 'SKU-10005'`);
    const second = await runProduct(platform, dir, PRODUCT, ENV);
    expect(second.report, second.report.reason).toMatchObject({ status: 'succeeded', rows: 33 });
    expect(await stock()).toEqual([...(await table()), gone].sort());
    expect(await stock()).toContain('ELD-001/SKU-10009=99');
    const s2 = (await stateOf(platform, PRODUCT, INPUT))!;
    expect(s2.state['cursor']).toMatch(/^2026-03-10 11:00:00/);
    expect(s2.snapshotId).toBe(second.report.snapshotId);
  }, 120_000);

  it('a run blocked by its gate commits no cursor: the retry reads the same rows, none lost, none twice', async () => {
    const before = (await stateOf(platform, PRODUCT, INPUT))!;
    const served = await stock();
    await admin.query(`INSERT INTO ${SCHEMA}.inventory_levels VALUES
      ('ZZZ-002', 'SKU-10002', -5, 1, '2026-03-11 08:00:00'),
      ('ZZZ-003', 'SKU-10003', 8, 1, '2026-03-11 09:00:00')`);
    const blocked = await runProduct(platform, dir, PRODUCT, ENV);
    expect(blocked.code).toBe(1);
    expect(blocked.report).toMatchObject({ status: 'failed', errorCode: 'quality_gate_failed' });
    expect(blocked.report.reason).toMatch(/stock_not_negative/);
    expect(await stateOf(platform, PRODUCT, INPUT)).toEqual(before);
    expect(await stock()).toEqual(served);

    // The source is corrected WITHOUT touching updated_at: only a run that kept the old cursor sees it.
    await admin.query(`UPDATE ${SCHEMA}.inventory_levels SET on_hand_qty = 5 WHERE outlet_id = 'ZZZ-002'`);
    const retry = await runProduct(platform, dir, PRODUCT, ENV);
    expect(retry.report, retry.report.reason).toMatchObject({ status: 'succeeded', rows: 35 });
    const after = await stock();
    expect(after).toEqual([...served, 'ZZZ-002/SKU-10002=5', 'ZZZ-003/SKU-10003=8'].sort());
    expect((await stateOf(platform, PRODUCT, INPUT))!.state['cursor']).toMatch(/^2026-03-11 09:00:00/);
  }, 120_000);
});
