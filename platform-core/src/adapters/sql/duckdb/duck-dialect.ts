import type { SqlDialectFeature, SqlSpan } from '../../../ports/sql-analyzer.js';
import { isNode, locationBound, locationOf, nodesAt, stringAt, type DuckNode } from './duck-nodes.js';

/**
 * The DuckDB-only constructs of a statement's tree (that Spark SQL lacks), each located at the
 * node DuckDB gives a position for; `at` maps a tree location to the span of the token there (or
 * of the token before it).
 */
export function dialectFeatures(
  tree: DuckNode,
  at: (location: number | undefined, tokenBefore?: boolean) => SqlSpan,
): SqlDialectFeature[] {
  const found: SqlDialectFeature[] = [];
  const add = (feature: string, node: DuckNode) => found.push({ feature, ...at(locationOf(node)) });
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    const name = stringAt(value, 'function_name');
    if (value.class === 'STAR') {
      if (value.columns === true) add('COLUMNS(…)', value);
      else if (
        nodesAt(value, 'replace_list').length > 0 ||
        nodesAt(value, 'rename_list').length > 0 ||
        (Array.isArray(value.exclude_list) && value.exclude_list.length > 0) ||
        nodesAt(value, 'qualified_exclude_list').length > 0
      )
        add('SELECT * EXCLUDE / REPLACE / RENAME', value);
    } else if (value.class === 'LAMBDA') add('lambda (x -> …)', value);
    else if (value.type === 'ARRAY_SLICE') add('list slicing [a:b]', value);
    else if (name === 'list_value' && value.schema === 'main') add('list literal [a, b]', value);
    else if (name === 'struct_pack' && value.schema === 'main') add("struct literal {'k': v}", value);
    if (value.type === 'SELECT_NODE') {
      // Located at the QUALIFY keyword: the token just before the condition's first location.
      if (isNode(value.qualify)) found.push({ feature: 'QUALIFY', ...at(locationBound(value.qualify, 'min'), true) });
      if (value.aggregate_handling === 'FORCE_AGGREGATES') add('GROUP BY ALL', value);
    }
    if (value.type === 'JOIN' && (value.ref_type === 'ASOF' || value.ref_type === 'POSITIONAL'))
      add(`${String(value.ref_type)} JOIN`, value);
    if (value.type === 'PIVOT') add('PIVOT / UNPIVOT', value);
    for (const [key, child] of Object.entries(value))
      if (key !== 'query_location' && typeof child === 'object') visit(child);
  };
  visit(tree);
  return found;
}
