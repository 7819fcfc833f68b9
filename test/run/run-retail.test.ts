import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { currentRows, expectedDailySales, RETAIL, runJson } from './run-support.js';

/** `hekima run` end to end on a copy of the retail workspace, embedded (PGlite + local lake), no ERP_PASSWORD. */
describe('hekima run (embedded, retail workspace)', () => {
  let dir: string;
  let platform: Platform;
  let first: Awaited<ReturnType<typeof runJson>>;
  const statusOf = (r: typeof first, product: string) => r.summary.products.find((p) => p.product === product);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-run-'));
    await cp(RETAIL, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    first = await runJson(platform, dir);
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs every product in dependency order; the ERP product and its consumer are skipped with the reason', () => {
    expect(first.code).toBe(0);
    expect(first.summary.ok).toBe(true);
    const names = first.summary.products.map((p) => p.product);
    expect(names.indexOf('outlets')).toBeLessThan(names.indexOf('outlet-daily-sales'));
    expect(names.indexOf('pos-transactions')).toBeLessThan(names.indexOf('outlet-daily-sales'));
    expect(Object.fromEntries(first.summary.products.map((p) => [p.product, [p.status, p.rows]]))).toEqual({
      customers: ['succeeded', 12],
      'erp-inventory': ['skipped', undefined],
      outlets: ['succeeded', 8],
      'pos-transactions': ['succeeded', 74],
      'products-catalog': ['succeeded', 17],
      'category-basket-affinity': ['succeeded', 22],
      'customer-lifetime-value': ['succeeded', 12],
      'outlet-daily-sales': ['succeeded', 27],
      'store-manager-dashboard-feed': ['skipped', undefined],
    });
    expect(statusOf(first, 'erp-inventory')?.reason).toMatch(/source cannot be reached here: .*env:ERP_PASSWORD/);
    expect(statusOf(first, 'store-manager-dashboard-feed')?.reason).toMatch(/^upstream erp-inventory was skipped/);
    expect(statusOf(first, 'outlet-daily-sales')?.endpoints).toEqual(['timeseries', 'lookup', 'analytics']);
  });

  it('records an execution per product with its state transitions', async () => {
    const outlets = statusOf(first, 'outlets')!;
    const { tenantId } = await currentRows(platform, 'outlets');
    const executions = (await platform.catalog()).forTenant(tenantId).executions;
    expect((await executions.get(outlets.executionId!))?.state).toBe('succeeded');
    const path = (await executions.transitions(outlets.executionId!)).map((t) => t.to);
    expect(path.slice(-4)).toEqual(['running', 'checking', 'promoting', 'succeeded']);
    const erp = statusOf(first, 'erp-inventory')!;
    expect(await executions.get(erp.executionId!)).toMatchObject({ state: 'failed' });
  });

  it('outlets: normalised values in the lake', async () => {
    const { rows } = await currentRows(platform, 'outlets');
    const byId = new Map(rows.map((r) => [r['outlet_id'], r]));
    expect(byId.get('NBO-001')).toMatchObject({
      region: 'central',
      store_format: 'supermarket',
      opened_on: '2019-03-01',
    });
    expect(byId.get('NBO-002')).toMatchObject({ store_format: 'express', is_active: true });
    expect(byId.get('NKR-001')).toMatchObject({ region: 'rift-valley' });
    expect(byId.get('ELD-001')).toMatchObject({ is_active: false, store_format: 'hypermarket' });
    expect(Number(byId.get('NBO-003')?.['floor_area_m2'])).toBe(5200);
  });

  it('outlet-daily-sales equals the aggregation computed by hand from data/pos-transactions.jsonl', async () => {
    const { rows } = await currentRows(platform, 'outlet-daily-sales');
    const expected = await expectedDailySales(dir);
    expect(rows).toHaveLength(expected.length);
    const got = new Map(rows.map((r) => [`${String(r['outlet_id'])}|${String(r['sale_date'])}`, r]));
    for (const e of expected) {
      const r = got.get(`${e.outlet_id}|${e.sale_date}`);
      expect(r, `${e.outlet_id} ${e.sale_date}`).toBeDefined();
      expect({
        transaction_count: Number(r!['transaction_count']),
        units_sold: Number(r!['units_sold']),
        net_revenue: Number(r!['net_revenue']),
        discount_total: Number(r!['discount_total']),
        identified_customers: Number(r!['identified_customers']),
      }).toEqual({
        transaction_count: e.transaction_count,
        units_sold: e.units_sold,
        net_revenue: e.net_revenue,
        discount_total: e.discount_total,
        identified_customers: e.identified_customers,
      });
      expect(Number(r!['avg_basket_value'])).toBeCloseTo(e.avg_basket_value, 2);
    }
  });

  it('re-run is idempotent: no new deployment, a new snapshot per product', async () => {
    const before = await currentRows(platform, 'outlets');
    const again = await runJson(platform, dir);
    expect(again.code).toBe(0);
    expect(again.summary.redeployed).toBe(0);
    const catalog = await platform.catalog();
    const deployments = await catalog
      .forTenant(before.tenantId)
      .deployments.list({ limit: 100 }, { productId: before.productId });
    expect(deployments.items).toHaveLength(1);
    const events = catalog.forTenant(before.tenantId).events;
    const deployed = await events.list({ limit: 100 }, { eventType: 'ProductDeployed', productId: before.productId });
    expect(deployed.items).toHaveLength(1);
    const available = await events.list({ limit: 100 }, { eventType: 'DataAvailable', productId: before.productId });
    expect(available.items).toHaveLength(2);
    const after = await currentRows(platform, 'outlets');
    expect(after.snapshotId).not.toBe(before.snapshotId);
    expect(after.rows).toEqual(before.rows);
  });

  it('a crash between snapshot write and commit leaves the previous snapshot served; the retry succeeds', async () => {
    const before = await currentRows(platform, 'outlets');
    const crashed = await runJson(platform, dir, {
      beforeCommit: async (product) => {
        if (product === 'outlets') throw new Error('injected crash');
      },
    });
    expect(crashed.code).toBe(1);
    expect(statusOf(crashed, 'outlets')).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('injected crash'),
    });
    expect(statusOf(crashed, 'outlet-daily-sales')?.reason).toMatch(/^upstream outlets failed/);
    expect(crashed.err).toMatch(/hekima run: outlets failed \(execution [0-9a-f-]+\)/);
    expect((await currentRows(platform, 'outlets')).snapshotId).toBe(before.snapshotId);
    const retry = await runJson(platform, dir);
    expect(retry.code).toBe(0);
    expect((await currentRows(platform, 'outlets')).snapshotId).not.toBe(before.snapshotId);
  });

  it('a failing blocking check stops promotion and every downstream product', async () => {
    const before = await currentRows(platform, 'outlets');
    const quality = join(dir, 'outlets/quality.yaml');
    await writeFile(
      quality,
      (await readFile(quality, 'utf8')).replace('min_rows: 3, max_rows: 500', 'min_rows: 100, max_rows: 500'),
    );
    const product = join(dir, 'outlets/product.yaml');
    await writeFile(product, (await readFile(product, 'utf8')).replace('version: 1.1.0', 'version: 1.2.0'));
    const r = await runJson(platform, dir);
    expect(r.summary, JSON.stringify(r.summary)).toHaveProperty('products');
    expect(r.code).toBe(1);
    expect(statusOf(r, 'outlets')).toMatchObject({ status: 'failed', checksFailed: 1 });
    expect(statusOf(r, 'outlets')?.reason).toMatch(/network_size/);
    expect(statusOf(r, 'outlet-daily-sales')).toMatchObject({ status: 'skipped' });
    expect(statusOf(r, 'outlet-daily-sales')?.reason).toMatch(/^upstream outlets failed/);
    expect(statusOf(r, 'customers')?.status).toBe('succeeded');
    expect((await currentRows(platform, 'outlets')).snapshotId).toBe(before.snapshotId);
  });
});
