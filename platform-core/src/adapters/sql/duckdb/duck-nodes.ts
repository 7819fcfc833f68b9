/**
 * Helpers over DuckDB's parse tree as `json_serialize_sql()` gives it: query nodes (`type`:
 * SELECT_NODE, SET_OPERATION_NODE, RECURSIVE_CTE_NODE), table references (`type`: BASE_TABLE,
 * JOIN, SUBQUERY, TABLE_FUNCTION, EXPRESSION_LIST, PIVOT, EMPTY) and expressions (`class`:
 * COLUMN_REF, FUNCTION, WINDOW, SUBQUERY, STAR, LAMBDA, CAST, CASE, …). Locations are UTF-8
 * byte offsets; "none" is 2^64 - 1.
 */
export type DuckNode = Readonly<Record<string, unknown>>;

export function isNode(value: unknown): value is DuckNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodeAt(node: DuckNode | undefined, key: string): DuckNode | undefined {
  const value = node?.[key];
  return isNode(value) ? value : undefined;
}

export function nodesAt(node: DuckNode | undefined, key: string): DuckNode[] {
  const value = node?.[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function stringAt(node: DuckNode | undefined, key: string): string | undefined {
  const value = node?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function stringsAt(node: DuckNode | undefined, key: string): string[] {
  const value = node?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The byte location of a node, when it has one. */
export function locationOf(node: DuckNode | undefined): number | undefined {
  const value = node?.query_location;
  return typeof value === 'number' && value < Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** The smallest or largest location in a subtree. */
export function locationBound(node: unknown, pick: 'min' | 'max'): number | undefined {
  let bound: number | undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    const here = locationOf(value);
    if (here !== undefined)
      bound = bound === undefined ? here : pick === 'min' ? Math.min(bound, here) : Math.max(bound, here);
    for (const [key, child] of Object.entries(value))
      if (key !== 'query_location' && typeof child === 'object') visit(child);
  };
  visit(node);
  return bound;
}

/** The query node of a `{ node: … }` statement wrapper (sub-queries, CTE bodies). */
export function queryOf(statement: unknown): DuckNode | undefined {
  return isNode(statement) ? nodeAt(statement, 'node') : undefined;
}

/** The names of a column reference (`['t', 'a']` for `t.a`), or undefined for another node. */
export function columnNames(node: DuckNode | undefined): string[] | undefined {
  return node?.class === 'COLUMN_REF' ? stringsAt(node, 'column_names') : undefined;
}

/** The column reference an expression is, possibly under casts (`x::int`, `CAST(x AS int)`). */
export function plainColumn(node: DuckNode | undefined): DuckNode | undefined {
  if (node === undefined) return undefined;
  if (node.class === 'CAST') return plainColumn(nodeAt(node, 'child'));
  return node.class === 'COLUMN_REF' ? node : undefined;
}

/** The parameters of a lambda's left side (`x`, `(x, i)`). */
export function lambdaParameters(lambda: DuckNode): string[] {
  const lhs = nodeAt(lambda, 'lhs');
  if (lhs === undefined) return [];
  const single = columnNames(lhs);
  if (single !== undefined) return single.length === 1 ? single : [];
  return nodesAt(lhs, 'children').flatMap((c) => {
    const names = columnNames(c);
    return names?.length === 1 ? names : [];
  });
}

/** The clauses of a SELECT node's modifiers: ORDER BY expressions, LIMIT/OFFSET, DISTINCT ON targets. */
export function modifierExpressions(node: DuckNode): DuckNode[] {
  const out: DuckNode[] = [];
  for (const modifier of nodesAt(node, 'modifiers')) {
    for (const order of nodesAt(modifier, 'orders')) {
      const expression = nodeAt(order, 'expression');
      if (expression) out.push(expression);
    }
    for (const key of ['limit', 'offset']) {
      const expression = nodeAt(modifier, key);
      if (expression) out.push(expression);
    }
    out.push(...nodesAt(modifier, 'distinct_on_targets'));
  }
  return out;
}
