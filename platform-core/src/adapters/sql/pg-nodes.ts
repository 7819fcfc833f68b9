import type { A_Expr, Alias, ColumnRef, Node, SelectStmt } from 'libpg-query';

/** Helpers over the JSON parse tree of libpg-query (nodes are `{ TypeName: fields }` objects). */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values of a list of `String` nodes (identifier lists such as `USING (a, b)` or alias column lists). */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => ('String' in n && n.String.sval !== undefined ? [n.String.sval] : []));
}

export function aliasColumns(alias: Alias | undefined): string[] {
  return stringsOf(alias?.colnames);
}

/** The SelectStmt wrapped in a node, if it is one. */
export function selectOf(node: Node | undefined): SelectStmt | undefined {
  return node !== undefined && 'SelectStmt' in node ? node.SelectStmt : undefined;
}

/** The names of a column reference, or undefined for a star reference (`*`, `t.*`). */
export function columnNames(ref: ColumnRef): string[] | undefined {
  const fields = ref.fields ?? [];
  if (fields.some((f) => 'A_Star' in f)) return undefined;
  return stringsOf(fields);
}

/** The qualifier names of a star reference (`[]` for `*`, `['t']` for `t.*`), or undefined when not a star. */
export function starQualifier(node: Node | undefined): { ref: ColumnRef; names: string[] } | undefined {
  if (node === undefined || !('ColumnRef' in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  if (last === undefined || !('A_Star' in last)) return undefined;
  return { ref: node.ColumnRef, names: stringsOf(fields.slice(0, -1)) };
}

/** The column reference an expression is, possibly under casts (`x::int`, `CAST(x AS int)`). */
export function plainColumn(node: Node | undefined): ColumnRef | undefined {
  if (node === undefined) return undefined;
  if ('TypeCast' in node) return plainColumn(node.TypeCast.arg);
  if ('ColumnRef' in node) return columnNames(node.ColumnRef) === undefined ? undefined : node.ColumnRef;
  return undefined;
}

/** The name PostgreSQL gives an unaliased select-list expression when it is a (cast) column; else null. */
export function implicitName(node: Node | undefined): string | null {
  const ref = plainColumn(node);
  const names = ref === undefined ? [] : (columnNames(ref) ?? []);
  return names[names.length - 1] ?? null;
}

/** The smallest or largest `location` in a subtree (byte offsets; -1 means unknown and is skipped). */
export function locationBound(node: unknown, pick: 'min' | 'max'): number | undefined {
  let bound: number | undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location' && typeof child === 'number' && child >= 0) {
        bound = bound === undefined ? child : pick === 'min' ? Math.min(bound, child) : Math.max(bound, child);
      } else visit(child);
    }
  };
  visit(node);
  return bound;
}

/**
 * The parameters of DuckDB lambdas (`x -> x + 1`, `(x, i) -> i > 1`) in a function argument. The
 * PostgreSQL grammar reads them as the `->` operator (which also extracts JSON: `j -> 'key'`), so an
 * operand counts as parameters only when the argument uses those names again.
 */
export function lambdaParameters(arg: Node): string[] {
  const params: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value) || 'SubLink' in value || 'SelectStmt' in value) return;
    const expr = isRecord(value.A_Expr) ? (value.A_Expr as A_Expr) : undefined;
    if (
      expr !== undefined &&
      expr.kind === 'AEXPR_OP' &&
      stringsOf(expr.name).join('.') === '->' &&
      expr.lexpr !== undefined
    ) {
      const names = lambdaOperand(expr.lexpr);
      if (names?.some((name) => countReferences(arg, name) > 1)) params.push(...names);
    }
    Object.values(value).forEach(visit);
  };
  visit(arg);
  return params;
}

function lambdaOperand(node: Node): string[] | undefined {
  const single = (n: Node): string | undefined => {
    const names = 'ColumnRef' in n ? columnNames(n.ColumnRef) : undefined;
    return names?.length === 1 ? names[0] : undefined;
  };
  if ('RowExpr' in node) {
    const params = (node.RowExpr.args ?? []).map(single);
    return params.every((p) => p !== undefined) ? (params as string[]) : undefined;
  }
  const param = single(node);
  return param === undefined ? undefined : [param];
}

/** How many column references start with the name (`x`, `x.field`). */
function countReferences(node: unknown, name: string): number {
  if (Array.isArray(node)) return node.reduce((sum: number, n) => sum + countReferences(n, name), 0);
  if (!isRecord(node)) return 0;
  if (isRecord(node.ColumnRef)) return columnNames(node.ColumnRef as ColumnRef)?.[0] === name ? 1 : 0;
  return Object.values(node).reduce((sum: number, child) => sum + countReferences(child, name), 0);
}
