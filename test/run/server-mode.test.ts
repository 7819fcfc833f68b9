import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepLake } from '../../platform-core/src/application/lake/sweep-lake.js';
import { currentRows } from './run-support.js';
import {
  canonicalRows,
  expectedOutput,
  hekima,
  hekimaRunCrashingAt,
  json,
  PRODUCTS,
  sorted,
  type QueryJson,
  type RunSummaryJson,
} from './e2e-support.js';
import { serverWorld, type ServerWorld } from './server-mode-support.js';

/**
 * Server mode for real: the `hekima` binary (from the build) against the test PostgreSQL (catalog,
 * serving tables, the ERP source) and Redis, on the retail workspace fed with its products' raw
 * test fixtures — so every served value is checked against the checked-in expected outputs.
 */
describe('hekima run in server mode (PostgreSQL + Redis), retail workspace', () => {
  let w: ServerWorld;
  let first: RunSummaryJson;
  const run = async (...args: string[]) => {
    const r = await hekima(['run', '--json', ...args], w.dir, w.env);
    return { ...r, summary: json<RunSummaryJson>(r) };
  };
  const query = async (product: string, ...args: string[]) => {
    const r = await hekima(['query', product, '--json', ...args], w.dir, w.env);
    expect(r.code, r.stderr).toBe(0);
    return json<QueryJson>(r);
  };
  const status = (s: RunSummaryJson, product: string) => s.products.find((p) => p.product === product);
  const outletsCsv = () => join(w.dir, 'data/outlets.csv');
  const editOutlets = async (from: string, to: string) => {
    const text = await readFile(outletsCsv(), 'utf8');
    if (!text.includes(from)) throw new Error(`data/outlets.csv has no "${from}"`);
    await writeFile(outletsCsv(), text.replace(from, to));
  };

  beforeAll(async () => {
    w = await serverWorld('e2e');
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    first = r.summary;
  }, 120_000);
  afterAll(async () => {
    await w?.cleanup();
  });

  it('runs all nine products, the ERP source included, and serves every endpoint', () => {
    expect(first.ok).toBe(true);
    expect(Object.fromEntries(first.products.map((p) => [p.product, [p.status, p.rows, p.endpoints]]))).toEqual({
      customers: ['succeeded', 5, ['lookup']],
      'erp-inventory': ['succeeded', 8, ['lookup', 'realtime']],
      outlets: ['succeeded', 5, ['lookup', 'analytics']],
      'pos-transactions': ['succeeded', 14, ['timeseries', 'analytics']],
      'products-catalog': ['succeeded', 7, ['lookup', 'analytics']],
      'category-basket-affinity': ['succeeded', 7, ['analytics']],
      'customer-lifetime-value': ['succeeded', 5, ['lookup', 'analytics']],
      'outlet-daily-sales': ['succeeded', 6, ['timeseries', 'lookup', 'analytics']],
      'store-manager-dashboard-feed': ['succeeded', 4, ['lookup', 'realtime']],
    });
    expect(first.products.every((p) => p.endpointNotes.length === 0)).toBe(true);
  });

  it("every product's committed snapshot equals its tests/fixtures/expected_output.csv, value for value", async () => {
    for (const product of PRODUCTS) {
      const expected = await expectedOutput(w.dir, product);
      const { rows, snapshotId } = await currentRows(w.platform, product);
      expect(snapshotId).toBe(status(first, product)?.snapshotId);
      expect(canonicalRows(rows, expected.types, expected.columns), product).toEqual(expected.rows);
    }
  });

  it('lookup tables in PostgreSQL hold exactly the expected rows, stamped with the snapshot', async () => {
    for (const [product, table, order] of [
      ['outlets', 'lookup_outlets_v1', 'outlet_id'],
      ['erp-inventory', 'lookup_erp_inventory_v1', 'outlet_id, sku'],
      ['customers', 'lookup_customers_v1', 'customer_id'],
      ['customer-lifetime-value', 'lookup_customer_lifetime_value_v1', 'customer_id'],
      ['store-manager-dashboard-feed', 'lookup_store_manager_dashboard_feed_v1', 'outlet_id'],
    ] as const) {
      const expected = await expectedOutput(w.dir, product);
      const served = await w.table(table, order);
      expect(sorted(canonicalRows(served, expected.types, expected.columns)), product).toEqual(sorted(expected.rows));
      expect(new Set(served.map((r) => r['hekima_snapshot_id']))).toEqual(
        new Set([status(first, product)?.snapshotId]),
      );
    }
    // type_2 history: every outlet opened by the first snapshot, still current.
    const outlets = await w.table('lookup_outlets_v1', 'outlet_id');
    expect(outlets.map((r) => [r['is_current'], r['valid_to']])).toEqual(outlets.map(() => [true, null]));
    expect(new Set(outlets.map((r) => r['valid_from'])).size).toBe(1);
  });

  it('timeseries tables hold exactly the expected rows (a BRIN-indexed table without TimescaleDB)', async () => {
    for (const [product, table, order] of [
      ['outlet-daily-sales', 'timeseries_outlet_daily_sales_v1', 'outlet_id, sale_date'],
      ['pos-transactions', 'timeseries_pos_transactions_v2', 'transaction_id, line_number'],
    ] as const) {
      const expected = await expectedOutput(w.dir, product);
      const served = await w.table(table, order);
      expect(sorted(canonicalRows(served, expected.types, expected.columns)), product).toEqual(sorted(expected.rows));
      const indexes = await w.sql('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [
        `${w.schema}_serving`,
        table,
      ]);
      expect(
        indexes.some((i) => /USING brin \((sale_date|sold_at)\)/.test(String(i['indexdef']))),
        table,
      ).toBe(true);
    }
  });

  it('hekima query masks the confidential columns of customers; a confidential clearance reads them', async () => {
    const expected = await expectedOutput(w.dir, 'customers');
    const masked = await query('customers');
    expect(masked.source).toBe('lookup');
    const hidden = ['full_name', 'email', 'phone'];
    expect(masked.rows).toHaveLength(expected.rows.length);
    for (const row of masked.rows) for (const c of hidden) expect(row[c]).toBe('***MASKED***');
    const visible = expected.columns.filter((c) => !hidden.includes(c));
    expect(canonicalRows(masked.rows, expected.types, visible)).toEqual(
      canonicalRows(expected.rows, expected.types, visible),
    );
    const cleared = await query('customers', '--clearance', 'confidential', '--filter', 'customer_id:C-10003');
    expect(canonicalRows(cleared.rows, expected.types, expected.columns)).toEqual(
      expected.rows.filter((r) => r['customer_id'] === 'C-10003'),
    );
  });

  it('realtime keys in Redis: exactly the key_template keys under the tenant prefix, TTL set, only include_columns', async () => {
    const stock = await expectedOutput(w.dir, 'erp-inventory');
    const feed = await expectedOutput(w.dir, 'store-manager-dashboard-feed');
    const stockKey = (r: Record<string, string | null>) =>
      `${w.prefix}erp-inventory:v1:stock:${r['outlet_id']}:${r['sku']}`;
    const feedKey = (r: Record<string, string | null>) =>
      `${w.prefix}store-manager-dashboard-feed:v1:dashboard:outlet:${r['outlet_id']}`;
    expect(await w.keys()).toEqual([...stock.rows.map(stockKey), ...feed.rows.map(feedKey)].sort());
    for (const [spec, keyOf, include, ttl] of [
      [stock, stockKey, ['outlet_id', 'sku', 'on_hand_qty', 'needs_reorder'], 3600],
      [
        feed,
        feedKey,
        ['outlet_id', 'latest_sale_date', 'latest_day_revenue', 'revenue_7d', 'low_stock_skus', 'stock_status'],
        900,
      ],
    ] as const) {
      for (const row of spec.rows) {
        const key = keyOf(row);
        const value = JSON.parse((await w.redis.get(key)) ?? 'null') as Record<string, unknown>;
        expect(Object.keys(value).sort(), key).toEqual([...include].sort());
        expect(canonicalRows([value], spec.types, include)[0], key).toEqual(
          Object.fromEntries(include.map((c) => [c, row[c]])),
        );
        const left = await w.redis.ttl(key);
        expect(left, key).toBeGreaterThan(ttl / 2); // the configured TTL, minus the time the test took
        expect(left, key).toBeLessThanOrEqual(ttl);
      }
    }
  });

  it('analytics: hekima query --sql aggregates over the lake snapshot', async () => {
    const sales = await expectedOutput(w.dir, 'outlet-daily-sales');
    const byRegion = new Map<string, { revenue: number; units: number }>();
    for (const r of sales.rows) {
      const t = byRegion.get(r['region']!) ?? { revenue: 0, units: 0 };
      t.revenue += Math.round(Number(r['net_revenue']) * 100);
      t.units += Number(r['units_sold']);
      byRegion.set(r['region']!, t);
    }
    const got = await query(
      'outlet-daily-sales',
      '--sql',
      'SELECT region, SUM(net_revenue) AS revenue, SUM(units_sold) AS units FROM outlet_daily_sales GROUP BY region ORDER BY region',
    );
    expect(got.source).toBe('analytics');
    expect(got.rows.map((r) => [r['region'], Number(r['revenue']).toFixed(2), Number(r['units'])])).toEqual(
      [...byRegion]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([region, t]) => [region, (t.revenue / 100).toFixed(2), t.units]),
    );
  });

  describe('a second run after a source file changed', () => {
    let second: RunSummaryJson;
    beforeAll(async () => {
      await editOutlets('KSM-001,Kisumu Lakeside Supermarket,', 'KSM-001,Kisumu Lakeside Hypermarket,');
      // outlets and what the dashboard feed needs (the unrelated products are left out for speed).
      const r = await run('--product', 'store-manager-dashboard-feed');
      expect(r.code, r.stderr).toBe(0);
      second = r.summary;
    }, 120_000);

    it('serves the new values, in the product and downstream', async () => {
      const outlets = await query('outlets', '--filter', 'outlet_id:KSM-001');
      expect(outlets.snapshotId).toBe(status(second, 'outlets')?.snapshotId);
      expect(outlets.rows).toEqual([
        expect.objectContaining({ outlet_id: 'KSM-001', outlet_name: 'Kisumu Lakeside Hypermarket' }),
      ]);
      const feed = await w.table('lookup_store_manager_dashboard_feed_v1', 'outlet_id');
      expect(feed.find((r) => r['outlet_id'] === 'KSM-001')?.['outlet_name']).toBe('Kisumu Lakeside Hypermarket');
    });

    it('type_2: the changed outlet has a closed history row and a new current row; the others are untouched', async () => {
      const rows = await w.table('lookup_outlets_v1', 'outlet_id, valid_from');
      expect(rows).toHaveLength(6);
      const ksm = rows.filter((r) => r['outlet_id'] === 'KSM-001');
      expect(ksm.map((r) => [r['outlet_name'], r['is_current']])).toEqual([
        ['Kisumu Lakeside Supermarket', false],
        ['Kisumu Lakeside Hypermarket', true],
      ]);
      expect(ksm[0]!['valid_to']).toBe(ksm[1]!['valid_from']);
      expect(ksm[1]!['valid_to']).toBeNull();
      expect(ksm[1]!['hekima_snapshot_id']).toBe(status(second, 'outlets')?.snapshotId);
      const others = rows.filter((r) => r['outlet_id'] !== 'KSM-001');
      expect(others.every((r) => r['is_current'] === true && r['valid_to'] === null)).toBe(true);
      expect(new Set(others.map((r) => r['valid_from']))).toEqual(new Set([ksm[0]!['valid_from']]));
    });
  });

  describe('a failing blocking check', () => {
    let gated: Awaited<ReturnType<typeof run>>;
    let before: { lookup: Record<string, unknown>[]; snapshotId: string; feed: Record<string, unknown>[] };
    beforeAll(async () => {
      before = {
        lookup: await w.table('lookup_outlets_v1', 'outlet_id, valid_from'),
        snapshotId: (await currentRows(w.platform, 'outlets')).snapshotId,
        feed: await w.table('lookup_store_manager_dashboard_feed_v1', 'outlet_id'),
      };
      // known_region (accepted_values, severity error) fails on a region nobody declared.
      await editOutlets('Eldoret,rift-valley,hypermarket', 'Eldoret,north-rift,hypermarket');
      gated = await run('--product', 'store-manager-dashboard-feed');
      await editOutlets('Eldoret,north-rift,hypermarket', 'Eldoret,rift-valley,hypermarket');
    }, 120_000);

    it('fails the product, skips its downstream with the reason, exits non-zero saying where to look', () => {
      expect(gated.code).toBe(1);
      expect(gated.summary.ok).toBe(false);
      expect(status(gated.summary, 'outlets')).toMatchObject({ status: 'failed', checksFailed: 1 });
      expect(status(gated.summary, 'outlets')?.reason).toMatch(/known_region/);
      for (const downstream of ['outlet-daily-sales', 'store-manager-dashboard-feed'])
        expect(status(gated.summary, downstream), downstream).toMatchObject({
          status: 'skipped',
          reason: expect.stringMatching(/^upstream (outlets|outlet-daily-sales) (failed|was skipped)/),
        });
      expect(status(gated.summary, 'outlet-daily-sales')?.reason).toMatch(/^upstream outlets failed/);
      for (const other of ['erp-inventory', 'pos-transactions'])
        expect(status(gated.summary, other)?.status, other).toBe('succeeded');
      expect(gated.stderr).toMatch(
        /hekima run: outlets failed \(execution [0-9a-f-]{36}\): see `hekima executions --state failed`, `hekima audit`; `hekima query outlets` still serves its previous data \(snapshot [0-9a-f]{8}, committed /,
      );
    });

    it('keeps the previous snapshot served, values unchanged', async () => {
      const after = await query('outlets');
      expect(after.snapshotId).toBe(before.snapshotId);
      const pick = (r: Record<string, unknown>) => [r['outlet_id'], r['outlet_name'], r['region'], r['is_active']];
      expect(after.rows.map(pick)).toEqual(before.lookup.filter((r) => r['is_current'] === true).map(pick));
      expect(after.rows.map((r) => r['region'])).not.toContain('north-rift');
      expect(await w.table('lookup_outlets_v1', 'outlet_id, valid_from')).toEqual(before.lookup);
      expect(await w.table('lookup_store_manager_dashboard_feed_v1', 'outlet_id')).toEqual(before.feed);
      expect((await currentRows(w.platform, 'outlets')).snapshotId).toBe(before.snapshotId);
    });
  });

  describe('a crash (SIGKILL) between snapshot write and commit', () => {
    let before: Awaited<ReturnType<typeof currentRows>>;
    let staged: string;
    let crashed: Awaited<ReturnType<typeof hekimaRunCrashingAt>>;
    beforeAll(async () => {
      before = await currentRows(w.platform, 'outlets');
      await editOutlets('NBO-002,Karen Express,', 'NBO-002,Karen Junction Express,');
      crashed = await hekimaRunCrashingAt('outlets', w.dir, w.env);
    }, 120_000);

    it('the process died by the signal, before committing outlets', () => {
      expect(crashed.signal).toBe('SIGKILL');
      expect(crashed.stderr).toMatch(/SIGKILL before the commit of outlets/);
    });

    it('leaves no visible partial snapshot: the catalog pointer is unchanged, the staged one is invisible', async () => {
      const current = await currentRows(w.platform, 'outlets');
      expect(current.snapshotId).toBe(before.snapshotId);
      const catalog = await w.platform.catalog();
      const rows = await catalog
        .forTenant(w.tenantId)
        .snapshots.list({ limit: 100 }, { productId: current.productId, state: 'staged' });
      expect(rows.items).toHaveLength(1);
      staged = rows.items[0]!.id;
      const onDisk = await w.platform.lake().list(w.tenantId, 'outlets', '1.1.0');
      expect(onDisk.map((e) => e.snapshotId)).toContain(staged);
    });

    it('hekima query still serves the previous data', async () => {
      const served = await query('outlets');
      expect(served.snapshotId).toBe(before.snapshotId);
      const names = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r['outlet_name']).sort();
      expect(names(served.rows)).toEqual(names(before.rows));
      expect(names(served.rows)).toContain('Karen Express');
      expect(names(served.rows)).not.toContain('Karen Junction Express');
    });

    it('the next hekima run succeeds and serves the new data', async () => {
      const retry = await run();
      expect(retry.code, retry.stderr).toBe(0);
      expect(retry.summary.products.every((p) => p.status === 'succeeded')).toBe(true);
      const served = await query('outlets', '--filter', 'outlet_id:NBO-002');
      expect(served.snapshotId).toBe(status(retry.summary, 'outlets')?.snapshotId);
      expect(served.rows.map((r) => r['outlet_name'])).toEqual(['Karen Junction Express']);
      const history = (await w.table('lookup_outlets_v1', 'outlet_id, valid_from')).filter(
        (r) => r['outlet_id'] === 'NBO-002',
      );
      expect(history.map((r) => [r['outlet_name'], r['is_current']])).toEqual([
        ['Karen Express', false],
        ['Karen Junction Express', true],
      ]);
    });

    it('what the crash left is invisible and sweepable: the staged row and its folder, nothing served', async () => {
      const catalog = await w.platform.catalog();
      const { productId } = await currentRows(w.platform, 'outlets');
      expect((await catalog.forTenant(w.tenantId).snapshots.get(staged))?.state).toBe('staged');
      // The sweep after its grace period (here: none) removes exactly the crash's leftovers.
      const swept = await sweepLake(
        { catalog, lake: w.platform.lake() },
        { tenantId: w.tenantId, productId, product: 'outlets', version: '1.1.0', graceMs: 0 },
      );
      expect(swept.discarded).toEqual([staged]);
      expect(swept.removed).toContain(staged);
      const left = (await w.platform.lake().list(w.tenantId, 'outlets', '1.1.0')).map((e) => e.snapshotId);
      expect(left).not.toContain(staged);
      expect(left).toContain((await currentRows(w.platform, 'outlets')).snapshotId);
      expect((await currentRows(w.platform, 'outlets')).rows.map((r) => r['outlet_name'])).toContain(
        'Karen Junction Express',
      );
    });
  });

  describe('Redis down', () => {
    let down: Awaited<ReturnType<typeof run>>;
    let keysBefore: string[];
    beforeAll(async () => {
      keysBefore = await w.keys();
      await w.erp.exec(`UPDATE public.inventory_levels SET on_hand_qty = 3, updated_at = '2026-03-03 09:00:00'
        WHERE outlet_id = 'NBO-002' AND sku = 'SKU-10015'`);
      const r = await hekima(['run', '--json', '--product', 'store-manager-dashboard-feed'], w.dir, {
        ...w.env,
        HEKIMA_REDIS_URL: 'redis://127.0.0.1:1',
      });
      down = { ...r, summary: json<RunSummaryJson>(r) };
    }, 120_000);

    it('the run still succeeds; the realtime endpoints are reported degraded, the others served', async () => {
      expect(down.code, down.stderr).toBe(0);
      for (const product of ['erp-inventory', 'store-manager-dashboard-feed']) {
        const p = status(down.summary, product)!;
        expect(p.status, product).toBe('succeeded');
        expect(p.endpoints, product).toEqual(['lookup']);
        expect(p.endpointNotes, product).toEqual([expect.stringMatching(/^realtime degraded/)]);
      }
      expect(status(down.summary, 'outlet-daily-sales')?.endpoints).toEqual(['timeseries', 'lookup', 'analytics']);
      const stock = await w.table('lookup_erp_inventory_v1', 'outlet_id, sku');
      const changed = stock.find((r) => r['outlet_id'] === 'NBO-002' && r['sku'] === 'SKU-10015')!;
      expect([Number(changed['on_hand_qty']), changed['needs_reorder'], changed['hekima_snapshot_id']]).toEqual([
        3,
        true,
        status(down.summary, 'erp-inventory')?.snapshotId,
      ]);
      // The snapshot stays `committed` (not `promoted`): the durable mark of a projection to redo.
      const snapshots = (await w.platform.catalog()).forTenant(w.tenantId).snapshots;
      expect((await snapshots.get(status(down.summary, 'erp-inventory')!.snapshotId!))?.state).toBe('committed');
      expect((await snapshots.get(status(down.summary, 'outlet-daily-sales')!.snapshotId!))?.state).toBe('promoted');
      // Redis kept the last projection (nothing was written while it was down).
      expect(await w.keys()).toEqual(keysBefore);
      const cached = JSON.parse((await w.redis.get(`${w.prefix}erp-inventory:v1:stock:NBO-002:SKU-10015`)) ?? '{}') as {
        on_hand_qty?: unknown;
      };
      expect(Number(cached.on_hand_qty)).toBe(25);
    });
  });
});
