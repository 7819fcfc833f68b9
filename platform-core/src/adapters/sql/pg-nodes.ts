import type { Alias, ColumnRef, Node, SelectStmt } from 'libpg-query';

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
 * A DuckDB lambda (`x -> x + 1`, `(x, y) -> x + y`) passed as a function argument, which the
 * PostgreSQL grammar reads as the `->` operator: its parameters are not columns.
 */
export function lambdaOf(node: Node): { params: string[]; body: Node | undefined } | undefined {
  if (!('A_Expr' in node)) return undefined;
  const expr = node.A_Expr;
  if (expr.kind !== 'AEXPR_OP' || stringsOf(expr.name).join('.') !== '->' || expr.lexpr === undefined) return undefined;
  const params = lambdaParams(expr.lexpr);
  if (params === undefined || !referencesAny(expr.rexpr, new Set(params))) return undefined;
  return { params, body: expr.rexpr };
}

function lambdaParams(node: Node): string[] | undefined {
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

function referencesAny(node: unknown, names: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.some((n) => referencesAny(n, names));
  if (!isRecord(node)) return false;
  if (isRecord(node.ColumnRef)) {
    const fields = columnNames(node.ColumnRef as ColumnRef);
    return fields?.length === 1 && names.has(fields[0] ?? '');
  }
  return Object.values(node).some((child) => referencesAny(child, names));
}
