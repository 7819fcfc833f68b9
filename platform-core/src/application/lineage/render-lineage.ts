import type { LineageEdge, LineageGraph, LineageNode } from '../../domain/lineage/lineage-graph.js';

/** Mermaid flowchart text of a lineage graph (for previews): solid arrows direct, dotted indirect. */
export function lineageToMermaid(graph: LineageGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`] as const));
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const label = escape(labelOf(node));
    const id = ids.get(node.id)!;
    lines.push(
      node.kind === 'product'
        ? `  ${id}[["${label}"]]`
        : node.kind === 'input'
          ? `  ${id}[/"${label}"/]`
          : `  ${id}["${label}"]`,
    );
  }
  for (const more of graph.truncated) {
    const id = ids.get(more.node);
    if (id !== undefined) lines.push(`  ${id}_more(("+${more.more} more")) -.- ${id}`);
  }
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const arrow = edge.kind === 'direct' ? '-->' : '-.->';
    const label = edge.subtype ?? (edge.kind === 'unknown' ? 'unknown' : '');
    lines.push(label === '' ? `  ${from} ${arrow} ${to}` : `  ${from} ${arrow}|${label}| ${to}`);
  }
  const root = ids.get(graph.root);
  if (root !== undefined) lines.push(`  style ${root} stroke-width:3px`);
  return lines.join('\n') + '\n';
}

/** A plain-text rendering: the root, then each node's incoming edges. */
export function lineageToText(graph: LineageGraph): string {
  const byTarget = new Map<string, LineageEdge[]>();
  const bySource = new Map<string, LineageEdge[]>();
  for (const e of graph.edges) {
    byTarget.set(e.to, [...(byTarget.get(e.to) ?? []), e]);
    bySource.set(e.from, [...(bySource.get(e.from) ?? []), e]);
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const lines: string[] = [];
  const describe = (id: string) => {
    const node = nodes.get(id);
    return node === undefined ? id : `${id}${node.type ? ` (${node.type})` : ''}`;
  };
  const edgeText = (e: LineageEdge, other: string) =>
    `${other}  ${e.kind}${e.subtype ? ` ${e.subtype}` : ''}${e.file && e.range ? `  ${e.file}:${e.range.start.line}:${e.range.start.column}` : ''}`;
  const order = [graph.root, ...graph.nodes.map((n) => n.id).filter((id) => id !== graph.root)];
  for (const id of order) {
    const incoming = byTarget.get(id) ?? [];
    const outgoing = id === graph.root ? (bySource.get(id) ?? []) : [];
    if (incoming.length === 0 && outgoing.length === 0 && id !== graph.root) continue;
    lines.push(describe(id));
    for (const e of incoming) lines.push(`  ← ${edgeText(e, describe(e.from))}`);
    for (const e of outgoing) lines.push(`  → ${edgeText(e, describe(e.to))}`);
  }
  for (const more of graph.truncated) lines.push(`${more.node}: +${more.more} more beyond the depth`);
  for (const note of graph.notes) lines.push(`note: ${note}`);
  return lines.join('\n') + '\n';
}

function labelOf(node: LineageNode): string {
  const version = node.version ? ` v${node.version}` : '';
  if (node.kind === 'product') return `${node.product}${version}`;
  return `${node.id}${node.type ? `: ${node.type}` : ''}`;
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
