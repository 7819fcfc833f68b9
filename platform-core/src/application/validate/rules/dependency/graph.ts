import type { InputView } from '../../product-unit.js';
import { byFolder, resolveInput, type ProductSummary, type WorkspaceIndex } from '../../workspace-index.js';

export { resolveInput, type InputResolution } from '../../workspace-index.js';

/**
 * The product dependency graph shared by the DEP rules: how a data_product input id resolves to
 * a product, the resolved edges, and their strongly connected components. Everything here is
 * O(products + edges) and iterative (no recursion), and is computed once per WorkspaceIndex.
 */

export interface Edge {
  /** The data_product input of the reading product. */
  readonly input: InputView;
  /** Node index of the product it reads. */
  readonly target: number;
}

export interface DependencyGraph {
  /** Products in index order (sorted by folder). */
  readonly nodes: readonly ProductSummary[];
  readonly nodeOf: ReadonlyMap<ProductSummary, number>;
  /** Resolved edges of each node, reader → upstream, in inputs.yaml order. */
  readonly edges: readonly (readonly Edge[])[];
  /** Component id of each node. */
  readonly component: Int32Array;
  /**
   * Strongly connected components, each listing its nodes. Tarjan emits a component after
   * every component it reads, so upstream components come first.
   */
  readonly components: readonly (readonly number[])[];
}

const graphs = new WeakMap<WorkspaceIndex, DependencyGraph>();

export function dependencyGraph(index: WorkspaceIndex): DependencyGraph {
  const cached = graphs.get(index);
  if (cached) return cached;
  const nodes = index.summaries;
  const nodeOf = new Map<ProductSummary, number>();
  nodes.forEach((s, i) => nodeOf.set(s, i));
  const edges: Edge[][] = nodes.map((reader) => {
    const out: Edge[] = [];
    for (const input of reader.upstream) {
      const target = resolveInput(index, reader, input.id).target;
      const t = target === undefined ? undefined : nodeOf.get(target);
      if (t !== undefined) out.push({ input, target: t });
    }
    return out;
  });
  const { component, components } = stronglyConnected(nodes.length, edges);
  const graph: DependencyGraph = { nodes, nodeOf, edges, component, components };
  graphs.set(index, graph);
  return graph;
}

/** Iterative Tarjan: no recursion, so a chain of thousands of products cannot overflow the stack. */
export function stronglyConnected(
  n: number,
  edges: readonly (readonly { readonly target: number }[])[],
): { component: Int32Array; components: number[][] } {
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const components: number[][] = [];
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(0);
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const out = edges[v] ?? [];
      const ei = callEdge[top]!;
      if (ei < out.length) {
        callEdge[top] = ei + 1;
        const w = out[ei]!.target;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(0);
        } else if (onStack[w] === 1 && order[w]! < low[v]!) {
          low[v] = order[w]!;
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (low[v] === order[v]) {
        const members: number[] = [];
        const id = components.length;
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          component[w] = id;
          members.push(w);
          if (w === v) break;
        }
        members.reverse();
        components.push(members);
      }
      const parent = callNode[callNode.length - 1];
      if (parent !== undefined && low[v]! < low[parent]!) low[parent] = low[v]!;
    }
  }
  return { component, components };
}

/** How a product is named in messages: its metadata.name, or its folder when it has none. */
export function label(summary: ProductSummary): string {
  return summary.name ?? `${summary.unit.folder}/`;
}

/** Orders products by name, then folder. */
export function compareByName(a: ProductSummary, b: ProductSummary): number {
  const an = label(a);
  const bn = label(b);
  return an < bn ? -1 : an > bn ? 1 : byFolder(a, b);
}

const MAX_LISTED = 30;

/** Joins a path of names with arrows, eliding the middle of very long paths. */
export function arrowPath(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(' → ');
  const head = names.slice(0, 15);
  const tail = names.slice(names.length - 14);
  return `${head.join(' → ')} → … (${names.length - head.length - tail.length} more) … → ${tail.join(' → ')}`;
}
