import type { RelationColumn, RelationColumns } from '../sql-scope.js';
import { isNode, nodesAt, stringAt, stringsAt, type DuckNode } from './duck-nodes.js';

/**
 * The columns DuckDB gives a PIVOT or UNPIVOT with an explicit value list, from its source's
 * columns; undefined when they depend on the data (PIVOT … ON col without IN) or on unknowns.
 */
export function pivotColumns(pivot: DuckNode, source: RelationColumns): RelationColumns {
  const pivots = nodesAt(pivot, 'pivots');
  const valueNames = stringsAt(pivot, 'unpivot_names');
  if (valueNames.length > 0) return unpivotColumns(pivots[0], valueNames, source);
  const combos = valueCombinations(pivots);
  if (combos === undefined) return undefined;
  const aggregates = nodesAt(pivot, 'aggregates');
  const aliases = aggregates.map((a) => stringAt(a, 'alias'));
  if (aggregates.length > 1 && aliases.some((a) => a === undefined)) return undefined;
  const produced: RelationColumn[] = combos.flatMap((combo) =>
    aggregates.length <= 1 && aliases[0] === undefined
      ? [{ name: combo, origin: undefined }]
      : aliases.map((alias) => ({ name: `${combo}_${alias}`, origin: undefined })),
  );
  const groups = stringsAt(pivot, 'groups').map((g) => g.toLowerCase());
  if (groups.length > 0) return [...groups.map((g) => byName(source, g)), ...produced];
  if (source === undefined) return undefined;
  const used = new Set([...referencedNames(aggregates), ...referencedNames(pivots.map((p) => p.pivot_expressions))]);
  return [...source.filter((c) => c.name === null || !used.has(c.name.toLowerCase())), ...produced];
}

function unpivotColumns(pivot: DuckNode | undefined, valueNames: string[], source: RelationColumns): RelationColumns {
  if (pivot === undefined || source === undefined) return undefined;
  const entries = nodesAt(pivot, 'entries');
  if (entries.some((e) => e.star_expr !== null && e.star_expr !== undefined)) return undefined;
  const unpivoted = new Set(entries.flatMap((e) => nodesAt(e, 'values').map((v) => String(v.value).toLowerCase())));
  const names = [...stringsAt(pivot, 'unpivot_names'), ...valueNames].map((n) => ({ name: n, origin: undefined }));
  return [...source.filter((c) => c.name === null || !unpivoted.has(c.name.toLowerCase())), ...names];
}

/** The names of the pivoted values (`Q1`, `Q2`; several ON columns join with `_`). */
function valueCombinations(pivots: readonly DuckNode[]): string[] | undefined {
  let combos: string[] = [''];
  for (const pivot of pivots) {
    const entries = nodesAt(pivot, 'entries');
    if (entries.length === 0 || stringAt(pivot, 'pivot_enum') !== undefined) return undefined;
    const names = entries.map(
      (e) =>
        stringAt(e, 'alias') ??
        nodesAt(e, 'values')
          .map((v) => (v.is_null === true ? 'NULL' : String(v.value)))
          .join('_'),
    );
    combos = combos.flatMap((prefix) => names.map((n) => (prefix === '' ? n : `${prefix}_${n}`)));
  }
  return combos;
}

function referencedNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedNames);
  if (!isNode(node)) return [];
  if (node.class === 'COLUMN_REF') {
    const names = stringsAt(node, 'column_names');
    return names.length > 0 ? [names[names.length - 1]!.toLowerCase()] : [];
  }
  return Object.values(node).flatMap(referencedNames);
}

function byName(source: RelationColumns, name: string): RelationColumn {
  return { name, origin: source?.find((c) => c.name?.toLowerCase() === name)?.origin };
}
