import type { SqlColumnLineage, SqlSpan } from '../../ports/sql-analyzer.js';

/** The physical table column a value comes from. */
export interface ColumnOrigin {
  readonly table: string;
  readonly column: string;
}

export interface RelationColumn {
  /** Null for an expression without a name (e.g. `a + 1` without alias). */
  readonly name: string | null;
  /** Set when the column is, with certainty, a column of a physical table. */
  readonly origin: ColumnOrigin | undefined;
  /** Where the column's values come from (for lineage); undefined when unknown. */
  readonly lineage?: SqlColumnLineage;
}

/** The columns of a relation in order, or undefined when they are not known. */
export type RelationColumns = readonly RelationColumn[] | undefined;

/** One output column of a SELECT. */
export interface OutputItem extends SqlSpan {
  readonly name: string | null;
  readonly expression: string;
  /** A `*` / `t.*` that could not be expanded. */
  readonly star: boolean;
  readonly origin: ColumnOrigin | undefined;
  readonly lineage?: SqlColumnLineage;
}

/** The columns a query's outputs make, unknown when a star could not be expanded. */
export function relationColumns(outputs: readonly OutputItem[]): RelationColumns {
  if (outputs.some((o) => o.star)) return undefined;
  return outputs.map((o) => ({ name: o.name, origin: o.origin, ...(o.lineage ? { lineage: o.lineage } : {}) }));
}

/** One entry of a FROM clause that columns can be qualified with. */
export interface Source {
  /** The qualifier: the alias, or else the table, CTE or function name (undefined for an unaliased sub-query). */
  readonly refName: string | undefined;
  readonly schema: string | undefined;
  /** The physical table behind the source, when it is one. */
  readonly table: string | undefined;
  /** True when the source's column names are the physical table's own (a table without column aliases). */
  readonly direct: boolean;
  readonly columns: RelationColumns;
}

export type FromItem = { readonly kind: 'source'; readonly source: Source } | JoinItem;

export interface JoinItem {
  readonly kind: 'join';
  readonly left: FromItem;
  readonly right: FromItem;
  /** Columns merged by `USING (…)` or `NATURAL`. */
  readonly using: readonly string[];
  /** FULL joins merge `USING` columns from both sides; RIGHT joins from the right one. */
  readonly joinType: 'full' | 'right' | 'other';
}

/** The name space of one SELECT: its FROM sources, its select-list aliases, and the enclosing scope. */
export class Scope {
  readonly sources: Source[] = [];
  readonly from: FromItem[] = [];
  /** Columns merged by non-FULL `USING` / `NATURAL` joins: an unqualified reference to them is not ambiguous. */
  readonly merged = new Set<string>();
  aliases: ReadonlySet<string> = new Set();
  /** The lineage of select-list aliases written so far (DuckDB lets later items reuse them). */
  readonly aliasLineage = new Map<string, SqlColumnLineage>();

  constructor(readonly parent: Scope | undefined) {}
}

export type Resolution =
  | { readonly kind: 'read'; readonly origin: ColumnOrigin }
  | { readonly kind: 'ambiguous'; readonly tables: readonly string[] }
  | { readonly kind: 'none' };

const NONE: Resolution = { kind: 'none' };

/** Resolves a column reference (`col`, `q.col`, `schema.q.col`) in a scope. */
export function resolveColumn(names: readonly string[], scope: Scope): Resolution {
  const [first, second, third] = names;
  if (first === undefined) return NONE;
  if (second === undefined) return resolveUnqualified(first, scope);
  const source = third === undefined ? findSource(scope, first) : findSource(scope, second, first);
  const column = third ?? second;
  return source === undefined || names.length > 3 ? NONE : through(source, column);
}

/** The source a qualifier names, looked up in the scope and then the enclosing ones. */
export function findSource(scope: Scope, name: string, schema?: string): Source | undefined {
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    const matches = level.sources.filter((s) => s.refName === name && schemaMatches(s, schema));
    if (matches.length > 0) return matches.length === 1 ? matches[0] : undefined;
  }
  return undefined;
}

/** The physical column a source's column comes from, when certain. */
export function originIn(source: Source, column: string): ColumnOrigin | undefined {
  if (source.direct && source.table !== undefined) return { table: source.table, column };
  const matches = source.columns?.filter((c) => c.name === column) ?? [];
  return matches.length === 1 ? matches[0]?.origin : undefined;
}

/** Resolves a column among the sources of one side of a join (for `USING`). */
export function resolveInItem(item: FromItem, column: string): Resolution {
  const found = lookupAmong(leafSources(item), mergedColumns(item), column);
  return typeof found === 'object' ? through(found, column) : NONE;
}

/** The columns `*` yields over FROM items, or undefined when some source's columns are unknown. */
export function expandFrom(items: readonly FromItem[]): RelationColumns {
  const parts = items.map(expandItem);
  if (parts.some((p) => p === undefined)) return undefined;
  return parts.flatMap((p) => p ?? []);
}

export function expandItem(item: FromItem): RelationColumns {
  if (item.kind === 'source') return item.source.columns;
  const left = expandItem(item.left);
  const right = expandItem(item.right);
  if (left === undefined || right === undefined) return undefined;
  // DuckDB keeps the left side's columns in place (a merged column where the left one was,
  // from the side that a RIGHT join keeps, from neither for FULL) and drops the right side's copies.
  const merged = (column: RelationColumn): RelationColumn => {
    if (column.name === null || !item.using.includes(column.name)) return column;
    if (item.joinType === 'full') return { name: column.name, origin: undefined };
    if (item.joinType === 'right')
      return { name: column.name, origin: right.find((c) => c.name === column.name)?.origin };
    return column;
  };
  return [...left.map(merged), ...right.filter((c) => c.name === null || !item.using.includes(c.name))];
}

/** Applies a column alias list (`AS t(a, b)`): the first columns are renamed, the others kept. */
export function renameColumns(columns: RelationColumns, names: readonly string[]): RelationColumns {
  if (names.length === 0) return columns;
  if (columns === undefined) return names.map((name) => ({ name, origin: undefined }));
  return columns.map((column, i) => ({ ...column, name: names[i] ?? column.name }));
}

/** The columns two FROM items have in common (for `NATURAL JOIN`), when both are known. */
export function commonColumns(left: FromItem, right: FromItem): string[] {
  const names = (item: FromItem) => (expandItem(item) ?? []).flatMap((c) => (c.name === null ? [] : [c.name]));
  const rightNames = new Set(names(right));
  return names(left).filter((n) => rightNames.has(n));
}

/** A column a lineage walk found: a physical table column, or a derived one with its own lineage. */
export type LineageTarget =
  | { readonly kind: 'physical'; readonly origin: ColumnOrigin }
  | { readonly kind: 'derived'; readonly lineage: SqlColumnLineage | undefined };

/** What a column reference designates, for lineage; undefined when uncertain or not a column. */
export function lineageTarget(names: readonly string[], scope: Scope): LineageTarget | undefined {
  const [first, second, third] = names;
  if (first === undefined || names.length > 3) return undefined;
  if (second === undefined) {
    for (let level: Scope | undefined = scope; level; level = level.parent) {
      const found = lookupAmong(level.sources, level.merged, first);
      if (found === 'uncertain') return undefined;
      if (found !== 'absent') return columnTarget(found, first);
    }
    const lineage = scope.aliasLineage.get(first);
    return lineage === undefined ? undefined : { kind: 'derived', lineage };
  }
  const source = third === undefined ? findSource(scope, first) : findSource(scope, second, first);
  return source === undefined ? undefined : columnTarget(source, third ?? second);
}

function columnTarget(source: Source, column: string): LineageTarget | undefined {
  if (source.direct && source.table !== undefined) return { kind: 'physical', origin: { table: source.table, column } };
  const matches = source.columns?.filter((c) => c.name === column) ?? [];
  const [match, other] = matches;
  if (match === undefined || other !== undefined) return undefined;
  if (match.lineage === undefined && match.origin !== undefined) return { kind: 'physical', origin: match.origin };
  return { kind: 'derived', lineage: match.lineage };
}

/** The union of several columns' lineage (a set operation's column, a FULL join's merged column). */
export function mergeLineage(columns: readonly (RelationColumn | undefined)[]): SqlColumnLineage | undefined {
  const parts = columns.map(
    (c) =>
      c?.lineage ??
      (c?.origin
        ? { direct: [{ ...c.origin, subtype: 'IDENTITY' as const, start: 0, end: 0 }], indirect: [] }
        : undefined),
  );
  if (parts.some((p) => p === undefined)) return undefined;
  return {
    direct: parts.flatMap((p) => p!.direct),
    indirect: parts.flatMap((p) => p!.indirect),
  };
}

function resolveUnqualified(column: string, scope: Scope): Resolution {
  const searched: Scope[] = [];
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    searched.push(level);
    const found = lookupAmong(level.sources, level.merged, column);
    if (found === 'uncertain') return NONE;
    if (found !== 'absent') return through(found, column);
  }
  // Not a column of any source. DuckDB lets later expressions use select-list aliases.
  if (scope.aliases.has(column)) return NONE;
  const [only, other] = scope.sources;
  if (only !== undefined && other === undefined) return through(only, column);
  const tables = searched.flatMap((level) => level.sources.flatMap((s) => (s.table === undefined ? [] : [s.table])));
  return { kind: 'ambiguous', tables: [...new Set(tables)] };
}

/** Which of one level's sources has the column: a single source is taken as is (its columns may be unknown). */
function lookupAmong(
  sources: readonly Source[],
  merged: ReadonlySet<string>,
  column: string,
): Source | 'uncertain' | 'absent' {
  const [only, other] = sources;
  if (only !== undefined && other === undefined && only.columns === undefined) return only;
  if (sources.some((s) => s.columns === undefined)) return 'uncertain';
  const matches = sources.filter((s) => s.columns?.some((c) => c.name === column));
  const [first, second] = matches;
  if (first === undefined) return 'absent';
  return second === undefined || merged.has(column) ? first : 'uncertain';
}

function through(source: Source, column: string): Resolution {
  const origin = originIn(source, column);
  return origin === undefined ? NONE : { kind: 'read', origin };
}

function schemaMatches(source: Source, schema: string | undefined): boolean {
  return (
    schema === undefined ||
    source.schema === schema ||
    (source.schema === undefined && source.direct && source.refName === source.table)
  );
}

function leafSources(item: FromItem): Source[] {
  return item.kind === 'source' ? [item.source] : [...leafSources(item.left), ...leafSources(item.right)];
}

function mergedColumns(item: FromItem): Set<string> {
  if (item.kind === 'source') return new Set();
  const own = item.joinType === 'full' ? [] : item.using;
  return new Set([...own, ...mergedColumns(item.left), ...mergedColumns(item.right)]);
}
