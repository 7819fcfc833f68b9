import type { GateOutcome } from './quality-result.js';

/** A product and the products it reads (its data_product inputs, by name). */
export interface ProductNode {
  readonly name: string;
  readonly upstream: readonly string[];
}

export interface DownstreamSkip {
  readonly product: string;
  /** The product whose gate blocked, the path from it, and the failing checks. */
  readonly reason: string;
  readonly blockedBy: string;
  readonly path: readonly string[];
}

/**
 * The products that must be skipped because `product`'s quality gate blocked promotion: every
 * product reachable downstream (transitively), nearest first, each with the reason. Nothing when
 * the gate let the snapshot through. Pure: the executions module finishes each as `skipped`.
 */
export function downstreamSkips(product: string, gate: GateOutcome, graph: readonly ProductNode[]): DownstreamSkip[] {
  if (gate.promote) return [];
  const consumers = new Map<string, string[]>();
  for (const node of graph) {
    for (const up of node.upstream) consumers.set(up, [...(consumers.get(up) ?? []), node.name]);
  }
  const failing = gate.blockingFailures.map((c) => c.name).join(', ');
  const out: DownstreamSkip[] = [];
  const seen = new Set<string>([product]);
  let frontier: { name: string; path: string[] }[] = [{ name: product, path: [product] }];
  while (frontier.length > 0) {
    const next: { name: string; path: string[] }[] = [];
    for (const at of frontier) {
      for (const consumer of [...(consumers.get(at.name) ?? [])].sort()) {
        if (seen.has(consumer)) continue;
        seen.add(consumer);
        const path = [...at.path, consumer];
        out.push({
          product: consumer,
          blockedBy: product,
          path,
          reason: `skipped: upstream ${product} failed its quality gate (${failing}); path ${path.join(' → ')}`,
        });
        next.push({ name: consumer, path });
      }
    }
    frontier = next;
  }
  return out;
}
