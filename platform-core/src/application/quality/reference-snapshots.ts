import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Lake } from '../../ports/lake.js';

/** Products a plan's checks read as `reference:<product>` (referential config, or named in custom SQL). */
export function referencedProducts(checks: readonly QualityCheckPlan[]): string[] {
  const names = new Set<string>();
  for (const check of checks) {
    const product = check.config?.['reference_product'];
    if (check.type === 'referential' && typeof product === 'string' && product) names.add(product);
    for (const m of (check.sql ?? '').matchAll(/"reference:([^"]+)"/g)) if (m[1]) names.add(m[1]);
  }
  return [...names].sort();
}

/**
 * The CURRENT committed snapshot file of each referenced product of the tenant (by name).
 * A product without one is left out: its checks then fail as `error` with the reason.
 */
export async function referenceSnapshots(
  deps: { readonly catalog: Catalog; readonly lake: Lake },
  tenantId: string,
  checks: readonly QualityCheckPlan[],
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const tenant = deps.catalog.forTenant(tenantId, signal);
  const out: Record<string, string> = {};
  for (const name of referencedProducts(checks)) {
    const product = await tenant.products.getByName(name);
    const current = product ? await tenant.snapshots.current(product.id) : undefined;
    if (current) out[name] = deps.lake.resolve(current.location);
  }
  return out;
}
