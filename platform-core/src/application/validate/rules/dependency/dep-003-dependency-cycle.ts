import { defineRule } from '../../rule.js';
import { arrowPath, compareByName, dependencyGraph, label, type DependencyGraph } from './graph.js';

/** A cycle as node indices c0 → c1 → … → c(k-1) → c0, each reading the next. */
export type Cycle = readonly number[];

/**
 * One elementary cycle for every product that lies on a dependency cycle: for each strongly
 * connected component of two or more products, the shortest cycle through its first product
 * (by name), then, for every member not on a cycle found so far, a cycle through it. A product
 * gets the first cycle that covers it, so products of the same cycle share one cycle.
 * Breadth-first searches inside each component keep this linear in practice; no recursion.
 */
export function findCycles(graph: DependencyGraph): Map<number, Cycle> {
  const { nodes, edges, component, components } = graph;
  const cycleOf = new Map<number, Cycle>();
  for (let id = 0; id < components.length; id++) {
    const members = components[id]!;
    if (members.length < 2) continue;
    const sorted = [...members].sort((a, b) => compareByName(nodes[a]!, nodes[b]!));
    const root = sorted[0]!;
    const inComp = (w: number) => component[w] === id;

    // Forward BFS from the root: parentF[x] is x's predecessor on a shortest root → x path.
    const parentF = new Map<number, number>([[root, -1]]);
    const queue: number[] = [root];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (const e of edges[v] ?? []) {
        if (inComp(e.target) && !parentF.has(e.target)) {
          parentF.set(e.target, v);
          queue.push(e.target);
        }
      }
    }
    // Backward BFS to the root: nextB[x] is x's successor on a shortest x → root path.
    const reverse = new Map<number, number[]>();
    for (const v of members) {
      for (const e of edges[v] ?? []) {
        if (!inComp(e.target)) continue;
        const list = reverse.get(e.target);
        if (list) list.push(v);
        else reverse.set(e.target, [v]);
      }
    }
    const nextB = new Map<number, number>([[root, -1]]);
    const distB = new Map<number, number>([[root, 0]]);
    const back: number[] = [root];
    for (let q = 0; q < back.length; q++) {
      const v = back[q]!;
      for (const u of reverse.get(v) ?? []) {
        if (!nextB.has(u)) {
          nextB.set(u, v);
          distB.set(u, (distB.get(v) ?? 0) + 1);
          back.push(u);
        }
      }
    }
    const pathToRoot = (from: number): number[] => {
      const path = [from];
      for (let x = nextB.get(from); x !== undefined && x !== -1; x = nextB.get(x)) path.push(x);
      return path; // from … root
    };
    const pathFromRoot = (to: number): number[] => {
      const path = [to];
      for (let x = parentF.get(to); x !== undefined && x !== -1; x = parentF.get(x)) path.push(x);
      return path.reverse(); // root … to
    };
    const assign = (cycle: Cycle) => {
      for (const x of cycle) if (!cycleOf.has(x)) cycleOf.set(x, cycle);
    };

    // Shortest cycle through the root: root → w ⇝ root, w the successor closest to the root.
    let best: number | undefined;
    let bestDistance = Infinity;
    for (const e of edges[root] ?? []) {
      const d = distB.get(e.target);
      if (inComp(e.target) && d !== undefined && d < bestDistance) {
        bestDistance = d;
        best = e.target;
      }
    }
    if (best === undefined) continue; // cannot happen in a component of two or more
    const rootCycle = [root, ...pathToRoot(best).slice(0, -1)];
    assign(rootCycle);

    for (const m of sorted) {
      if (cycleOf.has(m)) continue;
      // m ⇝ root (P) then root ⇝ m (Q); cut at the first node of P (after m) that Q also visits.
      const p = pathToRoot(m);
      const qPath = pathFromRoot(m);
      const posQ = new Map<number, number>();
      for (let j = 0; j < qPath.length - 1; j++) posQ.set(qPath[j]!, j);
      let cycle: number[] | undefined;
      for (let i = 1; i < p.length; i++) {
        const j = posQ.get(p[i]!);
        if (j === undefined) continue;
        cycle = [...p.slice(0, i + 1), ...qPath.slice(j + 1, qPath.length - 1)];
        break;
      }
      if (cycle) assign(cycle);
    }
  }
  return cycleOf;
}

/** The cycle rotated to start at its first product by name, as names, closed (a → b → a). */
export function cycleText(graph: DependencyGraph, cycle: Cycle): string {
  let start = 0;
  for (let i = 1; i < cycle.length; i++) {
    if (compareByName(graph.nodes[cycle[i]!]!, graph.nodes[cycle[start]!]!) < 0) start = i;
  }
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return arrowPath([...rotated, rotated[0]!].map((n) => label(graph.nodes[n]!)));
}

export const dep003DependencyCycle = defineRule({
  code: 'DEP-003',
  scope: 'workspace',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'Products do not depend on each other in a cycle',
  explain: {
    why: 'Products run when their inputs have published data. When products read each other in a loop (a reads b, b reads c, c reads a), each waits for the next one forever and none of them ever runs; lineage and classification propagation are undefined too. The finding lists the whole cycle (each product reads the next one) on the input of every product in it; removing any one of those inputs breaks it.',
    bad: '# customers reads customer-orders, which reads customers\n# customers/inputs.yaml\ninputs:\n  - id: customer-orders\n    type: data_product',
    good: '# customers reads only its source; customer-orders reads customers\ninputs:\n  - id: raw-customers\n    type: connector\n    connector_ref: shop-files\n    ingestion_strategy: full_refresh',
  },
  check(ctx) {
    const graph = dependencyGraph(ctx.index);
    const cycles = findCycles(graph);
    const texts = new Map<Cycle, string>();
    for (const [node, cycle] of cycles) {
      const at = cycle.indexOf(node);
      const next = cycle[(at + 1) % cycle.length]!;
      const edge = (graph.edges[node] ?? []).find((e) => e.target === next);
      if (!edge) continue;
      let text = texts.get(cycle);
      if (text === undefined) {
        text = cycleText(graph, cycle);
        texts.set(cycle, text);
      }
      const summary = graph.nodes[node]!;
      ctx.report(
        summary.unit,
        { kind: 'Inputs', path: `/inputs/${edge.input.index}/id` },
        `input '${edge.input.id}' closes a dependency cycle: ${text}`,
        {
          hint: `Products in a cycle wait for each other forever. Remove the input of the cycle that reads data downstream of its product (is it '${edge.input.id}' here?), reading that product's own sources instead, or move the logic both need into a new upstream product.`,
        },
      );
    }
  },
});
