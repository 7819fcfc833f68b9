import { buildLineage } from '../lineage/lineage-graph.js';
import type { ValidationSession } from '../validate/validation-session.js';

/** How far downstream the blast radius looks, in product hops. */
const DEPTH = 10;

/**
 * The products of the workspace computed from `product`, directly or through others (up to
 * `DEPTH` hops), from the lineage use case: they are skipped or go stale when it fails. Empty
 * when the workspace no longer has the product.
 */
export function downstreamProducts(session: ValidationSession, product: string): string[] {
  const result = buildLineage(session, { product, direction: 'down', depth: DEPTH, directOnly: false });
  if (result.kind !== 'graph') return [];
  const names = result.graph.nodes.filter((n) => n.kind === 'product' && n.product !== product).map((n) => n.product);
  return [...new Set(names)].sort();
}
