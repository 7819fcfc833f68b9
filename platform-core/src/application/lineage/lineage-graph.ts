import {
  columnNodeId,
  inputNodeId,
  productNodeId,
  type LineageEdge,
  type LineageGraph,
  type LineageNode,
} from '../../domain/lineage/lineage-graph.js';
import { nearest } from '../../domain/nearest.js';
import type { ValidationSession } from '../validate/validation-session.js';
import { byFolder, resolveInput, type ProductSummary, type WorkspaceIndex } from '../validate/workspace-index.js';
import { productLineage, type InputColumnEdge, type ProductLineage } from './product-lineage.js';

export interface LineageRequest {
  readonly product: string;
  readonly column?: string;
  readonly direction: 'up' | 'down' | 'both';
  /** Product hops to follow (≥ 1). */
  readonly depth: number;
  readonly directOnly: boolean;
}

export type LineageResult =
  | { readonly kind: 'graph'; readonly graph: LineageGraph }
  | {
      readonly kind: 'not_found';
      readonly what: 'product' | 'column';
      readonly name: string;
      readonly nearest: string | undefined;
    };

/**
 * The lineage graph around a product or one of its columns: upstream (where its values come
 * from), downstream (what is computed from them) or both, `depth` product hops away. Column
 * edges come from the SQL analysis (direct and indirect, OpenLineage semantics); Python logic
 * gives table-level edges (kind `unknown`). The CLI, the language server and the MCP server
 * render it.
 */
export function buildLineage(session: ValidationSession, request: LineageRequest): LineageResult {
  const index = session.workspaceIndex();
  const summary = [...index.productsNamed(request.product)].sort(byFolder)[0];
  if (summary?.name == null)
    return {
      kind: 'not_found',
      what: 'product',
      name: request.product,
      nearest: nearest(request.product, index.names()),
    };
  const column = request.column === undefined ? undefined : columnOf(summary, request.column);
  if (request.column !== undefined && column === undefined)
    return {
      kind: 'not_found',
      what: 'column',
      name: `${summary.name}.${request.column}`,
      nearest: nearest(request.column, summary.columns.keys()),
    };
  const builder = new GraphBuilder(session, index, request.directOnly);
  const columns = column === undefined ? [...summary.columns.keys()] : [column];
  if (request.direction !== 'down') builder.up(summary, columns, request.depth, column === undefined);
  if (request.direction !== 'up') builder.down(summary, columns, request.depth);
  const root = column === undefined ? productNodeId(summary.name) : columnNodeId(summary.name, column);
  builder.product(summary);
  if (column !== undefined) builder.column(summary, column);
  return { kind: 'graph', graph: builder.graph(root) };
}

function columnOf(summary: ProductSummary, name: string): string | undefined {
  if (summary.columns.has(name)) return name;
  return [...summary.columns.keys()].find((c) => c.toLowerCase() === name.toLowerCase());
}

class GraphBuilder {
  private readonly nodes = new Map<string, LineageNode>();
  private readonly edges = new Map<string, LineageEdge>();
  private readonly truncated = new Map<string, number>();
  private readonly notes = new Set<string>();
  private readonly lineages = new Map<string, ProductLineage>();
  private readonly visited = new Set<string>();

  constructor(
    private readonly session: ValidationSession,
    private readonly index: WorkspaceIndex,
    private readonly directOnly: boolean,
  ) {}

  /** Where the columns' values come from, `hops` products upstream. */
  up(summary: ProductSummary, columns: readonly string[], hops: number, wholeProduct: boolean): void {
    const lineage = this.lineageOf(summary);
    const name = summary.name!;
    this.product(summary);
    if (wholeProduct)
      for (const input of lineage.inputs)
        if (input.target?.name)
          this.edge({ from: this.product(input.target), to: name, kind: 'direct', subtype: null });
    const next = new Map<ProductSummary, Set<string>>();
    for (const column of columns) {
      const key = `up:${name}.${column}`;
      if (this.visited.has(key)) continue;
      this.visited.add(key);
      const to = this.column(summary, column);
      const edges = lineage.columns.get(column);
      if (edges === undefined) {
        this.tableLevel(lineage, to);
        continue;
      }
      for (const e of edges) this.inputEdge(lineage, e, to, next);
    }
    if (!this.directOnly)
      for (const e of lineage.dataset) this.inputEdge(lineage, e, productNodeId(name), next, columns.length > 0);
    for (const [upstream, wanted] of next) {
      if (hops > 1) this.up(upstream, [...wanted], hops - 1, false);
      else for (const c of wanted) this.countBeyond(upstream, c, 'up');
    }
  }

  /** What is computed from the columns, `hops` products downstream. */
  down(summary: ProductSummary, columns: readonly string[], hops: number): void {
    for (const consumer of this.consumersOf(summary)) {
      const lineage = this.lineageOf(consumer);
      const reads = new Set(lineage.inputs.filter((i) => i.target === summary).map((i) => i.id));
      const wanted = new Set<string>();
      for (const [column, edges] of lineage.columns) {
        for (const e of edges ?? []) {
          if (!reads.has(e.input) || !columns.includes(e.column)) continue;
          if (this.directOnly && e.kind !== 'direct') continue;
          if (hops < 1) continue;
          this.edge({ from: this.column(summary, e.column), to: this.column(consumer, column), ...edgeFields(e) });
          wanted.add(column);
        }
        if (edges === undefined && [...reads].length > 0)
          for (const c of columns)
            this.edge({
              from: this.column(summary, c),
              to: this.column(consumer, column),
              kind: 'unknown',
              subtype: null,
            });
      }
      if (!this.directOnly)
        for (const e of lineage.dataset)
          if (reads.has(e.input) && columns.includes(e.column))
            this.edge({ from: this.column(summary, e.column), to: this.product(consumer), ...edgeFields(e) });
      if (wanted.size === 0) continue;
      const key = `down:${consumer.unit.folder}:${[...wanted].sort().join(',')}`;
      if (this.visited.has(key)) continue;
      this.visited.add(key);
      if (hops > 1) this.down(consumer, [...wanted], hops - 1);
      else for (const c of wanted) this.countBeyond(consumer, c, 'down');
    }
  }

  product(summary: ProductSummary): string {
    const id = productNodeId(summary.name!);
    if (!this.nodes.has(id))
      this.nodes.set(id, {
        id,
        kind: 'product',
        product: summary.name!,
        column: null,
        version: summary.version ?? null,
        ...(summary.classification ? { classification: summary.classification } : {}),
      });
    return id;
  }

  column(summary: ProductSummary, column: string): string {
    const id = columnNodeId(summary.name!, column);
    if (!this.nodes.has(id)) {
      const view = summary.columns.get(column);
      const classification = view?.classification ?? summary.classification;
      this.nodes.set(id, {
        id,
        kind: 'column',
        product: summary.name!,
        column,
        version: summary.version ?? null,
        ...(view?.typeText ? { type: view.typeText } : {}),
        ...(classification ? { classification } : {}),
      });
    }
    return id;
  }

  graph(root: string): LineageGraph {
    return {
      root,
      nodes: [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      edges: [...this.edges.values()],
      truncated: [...this.truncated].map(([node, more]) => ({ node, more })),
      notes: [...this.notes],
    };
  }

  private inputEdge(
    lineage: ProductLineage,
    e: InputColumnEdge,
    to: string,
    next: Map<ProductSummary, Set<string>>,
    follow = true,
  ): void {
    if (this.directOnly && e.kind !== 'direct') return;
    const input = lineage.inputs.find((i) => i.id === e.input);
    const product = lineage.summary.name!;
    let from: string;
    if (input?.type === 'data_product' && input.target?.name) {
      from = this.column(input.target, e.column);
      if (follow) {
        const set = next.get(input.target) ?? new Set<string>();
        set.add(e.column);
        next.set(input.target, set);
      }
    } else {
      from = inputNodeId(product, e.input, e.column);
      if (!this.nodes.has(from))
        this.nodes.set(from, {
          id: from,
          kind: 'input',
          product,
          column: e.column,
          input: e.input,
          version: lineage.summary.version ?? null,
        });
    }
    this.edge({ from, to, ...edgeFields(e) });
  }

  /** Python (or unparsed) logic: each output column gets one edge per input, kind unknown. */
  private tableLevel(lineage: ProductLineage, to: string): void {
    const product = lineage.summary.name!;
    if (lineage.language === 'python')
      this.notes.add(`${product}: Python logic — lineage is table-level (one 'unknown' edge per input).`);
    else this.notes.add(`${product}: the SQL does not tell where some columns come from — table-level edges.`);
    for (const input of lineage.inputs) {
      let from: string;
      if (input.target?.name) from = this.product(input.target);
      else {
        from = `${product}/${input.id}`;
        if (!this.nodes.has(from))
          this.nodes.set(from, {
            id: from,
            kind: 'input',
            product,
            column: null,
            input: input.id,
            version: lineage.summary.version ?? null,
          });
      }
      this.edge({ from, to, kind: 'unknown', subtype: null });
    }
  }

  private countBeyond(summary: ProductSummary, column: string, direction: 'up' | 'down'): void {
    const id = columnNodeId(summary.name!, column);
    let more = 0;
    if (direction === 'up') more = (this.lineageOf(summary).columns.get(column) ?? []).length;
    else for (const consumer of this.consumersOf(summary)) more += consumer.columns.size > 0 ? 1 : 0;
    if (more > 0) this.truncated.set(id, (this.truncated.get(id) ?? 0) + more);
  }

  private edge(edge: LineageEdge): void {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.subtype ?? ''}`;
    if (!this.edges.has(key)) this.edges.set(key, edge);
  }

  private lineageOf(summary: ProductSummary): ProductLineage {
    let lineage = this.lineages.get(summary.unit.folder);
    if (!lineage) {
      lineage = productLineage(this.session, this.index, summary);
      this.lineages.set(summary.unit.folder, lineage);
    }
    return lineage;
  }

  private consumersOf(summary: ProductSummary): ProductSummary[] {
    return this.index.summaries
      .filter((s) => s.name && s.upstream.some((i) => resolveInput(this.index, s, i.id).target === summary))
      .sort(byFolder);
  }
}

function edgeFields(e: InputColumnEdge): Pick<LineageEdge, 'kind' | 'subtype' | 'file' | 'range'> {
  return { kind: e.kind, subtype: e.subtype, file: e.file, range: e.range };
}
