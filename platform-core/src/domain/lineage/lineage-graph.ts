import type { Classification } from '../classification.js';
import type { TextRange } from '../finding.js';
import type { LineageEdgeKind, LineageSubtype } from './lineage-kinds.js';

/**
 * The lineage graph: the JSON contract of `hekima lineage --format json` (docs/lineage.md) and
 * what the language server and MCP server render. Node ids are `product`, `product.column`, and
 * `product/input.column` for a connector input's column; the version is a field, not in the id.
 */
export interface LineageNode {
  readonly id: string;
  readonly kind: 'product' | 'column' | 'input';
  readonly product: string;
  readonly column: string | null;
  /** The connector input id, for `input` nodes. */
  readonly input?: string;
  readonly version: string | null;
  readonly type?: string;
  readonly classification?: Classification;
}

/** An edge in data-flow direction (upstream → downstream); one per (from, to, subtype). */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: LineageEdgeKind;
  readonly subtype: LineageSubtype | null;
  /** Where the logic reads the input column (workspace-relative file, 1-based range). */
  readonly file?: string;
  readonly range?: TextRange;
}

export interface LineageGraph {
  readonly root: string;
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** Nodes whose further lineage lies beyond the requested depth: `more` edges not followed. */
  readonly truncated: readonly { readonly node: string; readonly more: number }[];
  /** What the graph cannot say (e.g. Python logic: table-level lineage only). */
  readonly notes: readonly string[];
}

export const productNodeId = (product: string): string => product;
export const columnNodeId = (product: string, column: string): string => `${product}.${column}`;
export const inputNodeId = (product: string, input: string, column: string): string => `${product}/${input}.${column}`;
