import { CLASSIFICATIONS, classificationRank } from '../../../../domain/classification.js';
import { defineRule } from '../../rule.js';
import { arrowPath, dependencyGraph, label, type DependencyGraph } from './graph.js';

export interface HighWaterMark {
  /** Rank of the product's own classification, -1 when unknown. */
  readonly declared: Int8Array;
  /** Highest rank over every transitive upstream product (cycle edges ignored), -1 when none. */
  readonly upstream: Int8Array;
  /** The direct upstream node that carries `upstream[v]`, -1 when none. */
  readonly via: Int32Array;
}

/**
 * Memoised max-over-upstream along the DAG of components: Tarjan lists upstream components
 * first, so one pass in that order sees every upstream value before it is needed. Edges
 * inside a component (cycles, reported by DEP-003) are ignored.
 */
export function highWaterMarks(graph: DependencyGraph): HighWaterMark {
  const n = graph.nodes.length;
  const declared = new Int8Array(n).fill(-1);
  const upstream = new Int8Array(n).fill(-1);
  const via = new Int32Array(n).fill(-1);
  graph.nodes.forEach((s, i) => {
    if (s.classification !== undefined) declared[i] = classificationRank(s.classification);
  });
  for (const members of graph.components) {
    for (const v of members) {
      for (const e of graph.edges[v] ?? []) {
        const w = e.target;
        if (graph.component[w] === graph.component[v]) continue;
        const top = Math.max(declared[w]!, upstream[w]!);
        if (top > upstream[v]!) {
          upstream[v] = top;
          via[v] = w;
        }
      }
    }
  }
  return { declared, upstream, via };
}

/** The products from a reader's direct input to the one whose own classification sets the mark. */
export function chainOf(marks: HighWaterMark, v: number): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  for (let x = marks.via[v]!; x !== -1 && !seen.has(x); x = marks.via[x]!) {
    chain.push(x);
    seen.add(x);
    if (marks.declared[x]! >= marks.upstream[x]!) break;
  }
  return chain;
}

export const dep006ClassificationHighWater = defineRule({
  code: 'DEP-006',
  scope: 'workspace',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'A product is classified at least as high as everything it reads',
  explain: {
    why: 'Classification is a high-water mark: a product built from confidential data is itself confidential, even if it only aggregates it, and even when the confidential product is several hops upstream. Otherwise data could be "laundered" into a less protected product that more people may read. The finding names the chain of inputs that forces the level.',
    bad: '# payments: confidential; orders (internal) reads payments\n# customer-orders reads orders\nmetadata:\n  name: customer-orders\n  classification: internal',
    good: 'metadata:\n  name: customer-orders\n  classification: confidential',
  },
  check(ctx) {
    const graph = dependencyGraph(ctx.index);
    const marks = highWaterMarks(graph);
    graph.nodes.forEach((summary, v) => {
      const own = marks.declared[v]!;
      const required = marks.upstream[v]!;
      if (own < 0 || required <= own) return;
      const chain = chainOf(marks, v);
      const source = chain[chain.length - 1];
      if (source === undefined) return;
      const ownLevel = CLASSIFICATIONS[own]!;
      const requiredLevel = CLASSIFICATIONS[required]!;
      const names = chain.map((x) => label(graph.nodes[x]!));
      const path = '/metadata/classification';
      const fix = ctx.replaceFix(summary.unit, 'DataProduct', path, requiredLevel, `Classify as ${requiredLevel}`);
      ctx.report(
        summary.unit,
        { kind: 'DataProduct', path },
        `classification '${ownLevel}' is below '${requiredLevel}': ${label(summary)} (${ownLevel}) reads ${arrowPath(names)} (${requiredLevel})`,
        {
          hint: `Set classification: ${requiredLevel}. A product is at least as sensitive as everything it reads, directly or through other products. If it must stay ${ownLevel}, stop reading ${names[0]}, or read ${ownLevel === 'internal' ? 'an' : 'a'} ${ownLevel} product instead that leaves the ${requiredLevel} data out.`,
          ...(fix ? { fix } : {}),
        },
      );
    });
  },
});
