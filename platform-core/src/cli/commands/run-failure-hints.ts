import type { ProductRunReport } from '../../application/run/run-types.js';
import type { Catalog } from '../../ports/catalog.js';

/**
 * What `hekima run` says under a failed product: where to read why, and what is served now — the
 * previous snapshot, which `hekima query` still reads, or nothing when the product never succeeded;
 * the line ends with the `hekima diagnose <id>` command to run next.
 */
export async function failureHints(
  catalog: Catalog,
  tenantId: string,
  products: readonly ProductRunReport[],
): Promise<Map<string, string>> {
  const hints = new Map<string, string>();
  const scoped = catalog.forTenant(tenantId);
  for (const r of products) {
    if (r.status !== 'failed') continue;
    const product = await scoped.products.getByName(r.product);
    const served = product ? await scoped.snapshots.current(product.id) : undefined;
    const execution = r.executionId ? ` (execution ${r.executionId})` : '';
    const now = served
      ? `\`hekima query ${r.product}\` still serves its previous data (snapshot ${served.id.slice(0, 8)}` +
        `${served.committedAt ? `, committed ${served.committedAt}` : ''})`
      : `nothing of ${r.product} is served: it has never succeeded here`;
    const next = r.executionId ? `; why, where and what next: \`hekima diagnose ${r.executionId}\`` : '';
    hints.set(
      r.product,
      `hekima run: ${r.product} failed${execution}: see \`hekima executions --state failed\`, \`hekima audit\`; ${now}${next}`,
    );
  }
  return hints;
}
