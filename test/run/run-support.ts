import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readableSnapshot } from '../../platform-core/src/application/lake/read-snapshot.js';
import { snapshotRows } from '../../platform-core/src/application/serving/snapshot-rows.js';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runRun, type RunHooks } from '../../platform-core/src/cli/commands/run.js';
import type { Platform } from '../../platform-core/src/composition.js';
import { capturedIo } from '../cli/captured-io.js';

export const RETAIL = new URL('../../fixtures/workspaces/retail/', import.meta.url).pathname;

export interface RunSummary {
  readonly ok: boolean;
  readonly deployed: number;
  readonly redeployed: number;
  readonly products: readonly {
    product: string;
    status: string;
    rows?: number;
    checksFailed: number;
    reason?: string;
    snapshotId?: string;
    executionId?: string;
    endpoints: string[];
    endpointNotes: string[];
  }[];
}

/** `hekima run --json` on `dir` (environment: none, so no ERP_PASSWORD). */
export async function runJson(
  platform: Platform,
  dir: string,
  hooks: RunHooks = {},
  extra: { product?: string; concurrency?: string } = {},
) {
  const { io, stdout, stderr } = capturedIo(dir);
  const code = await runRun(platform, io, undefined, { workspace: dir, json: true, ...extra }, hooks);
  return { code, summary: JSON.parse(stdout()) as RunSummary, err: stderr() };
}

/** The current committed snapshot of a product, its id and rows. */
export async function currentRows(platform: Platform, product: string) {
  const catalog = await platform.catalog();
  const tenant = await resolveWorkspaceTenant(catalog, 'acme-retail', { provision: false });
  const found = await catalog.forTenant(tenant.id).products.getByName(product);
  if (!found) throw new Error(`${product} not registered`);
  const { snapshot, path } = await readableSnapshot({ catalog, lake: platform.lake() }, tenant.id, found.id);
  return {
    snapshotId: snapshot.id,
    rows: await snapshotRows(platform.checkEngine, path),
    productId: found.id,
    tenantId: tenant.id,
  };
}

/** outlet-daily-sales computed by hand from the shipped POS lines (quantity > 0) and the register. */
export async function expectedDailySales(dir: string) {
  const lines = (await readFile(join(dir, 'data/pos-transactions.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, string | number | null>);
  const cents = (v: unknown) => Math.round(Number(v ?? 0) * 100);
  const days = new Map<string, { tx: Set<string>; units: number; net: number; disc: number; customers: Set<string> }>();
  for (const l of lines) {
    if (Number(l['quantity']) <= 0) continue;
    const key = `${String(l['outlet_id'])}|${String(l['business_date'])}`;
    const d = days.get(key) ?? { tx: new Set(), units: 0, net: 0, disc: 0, customers: new Set() };
    d.tx.add(String(l['transaction_id']));
    d.units += Number(l['quantity']);
    d.net += Number(l['quantity']) * cents(l['unit_price']) - cents(l['discount_amount']);
    d.disc += cents(l['discount_amount']);
    if (l['customer_id'] !== null && l['customer_id'] !== undefined) d.customers.add(String(l['customer_id']));
    days.set(key, d);
  }
  return [...days].map(([key, d]) => {
    const [outlet_id, sale_date] = key.split('|');
    return {
      outlet_id,
      sale_date,
      transaction_count: d.tx.size,
      units_sold: d.units,
      net_revenue: d.net / 100,
      discount_total: d.disc / 100,
      avg_basket_value: Math.round(d.net / d.tx.size) / 100,
      identified_customers: d.customers.size,
    };
  });
}
