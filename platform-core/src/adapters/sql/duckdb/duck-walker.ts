import type { SqlSpan, TableColumns } from '../../../ports/sql-analyzer.js';
import type { Findings } from '../findings.js';
import {
  expandFrom,
  findSource,
  mergeLineage,
  relationColumns,
  renameColumns,
  resolveColumn,
  Scope,
  type OutputItem,
  type RelationColumn,
  type RelationColumns,
} from '../sql-scope.js';
import type { SqlTokens, Token } from '../sql-tokens.js';
import type { TextOffsets } from '../text-offsets.js';
import type { IndirectSubtype } from '../../../domain/lineage/lineage-kinds.js';
import type { SqlColumnLineage } from '../../../ports/sql-analyzer.js';
import { DuckFromClause } from './duck-from.js';
import { DuckLineage } from './duck-lineage.js';
import {
  columnNames,
  isNode,
  lambdaParameters,
  locationBound,
  locationOf,
  modifierExpressions,
  nodeAt,
  nodesAt,
  plainColumn,
  queryOf,
  stringAt,
  stringsAt,
  type DuckNode,
} from './duck-nodes.js';

/** The CTEs in scope, by (lower-cased) name, with their columns. */
export type CteEnv = ReadonlyMap<string, RelationColumns>;

export interface WalkerContext {
  readonly offsets: TextOffsets;
  readonly tokens: SqlTokens;
  readonly tableColumns: TableColumns;
  readonly findings: Findings;
  /** Added to every parse-tree location: the byte offset of the statement in the text. */
  readonly base: number;
}

interface ExpressionMode {
  /** In ORDER BY / GROUP BY / HAVING / QUALIFY a bare name may be a select-list alias. */
  readonly hideAliases: boolean;
  readonly lambdaParams: ReadonlySet<string>;
}

const PLAIN: ExpressionMode = { hideAliases: false, lambdaParams: new Set() };
const SORTING: ExpressionMode = { hideAliases: true, lambdaParams: new Set() };
/** Keys of expression nodes that hold no expression. */
/** Names DuckDB parses as column references but binds as functions when no column has them. */
const SPECIAL_VALUES = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'session_user',
  'user',
  'current_role',
  'current_catalog',
  'current_schema',
]);
const INERT = new Set(['value', 'cast_type', 'type', 'class', 'alias', 'query_location', 'function_name', 'schema']);

/**
 * Walks DuckDB's parse tree of one statement: records the tables, CTEs and column reads into the
 * findings and computes the output columns of queries, resolving names scope by scope.
 */
export class DuckWalker {
  private readonly fromClause = new DuckFromClause(this);
  private readonly lineage = new DuckLineage(this);

  constructor(readonly context: WalkerContext) {}

  /** Walks a query node whose correlated references resolve in `outer`; returns its output columns. */
  select(node: DuckNode, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const scopeEnv = this.withClause(node, outer, env);
    switch (node.type) {
      case 'SET_OPERATION_NODE':
      case 'RECURSIVE_CTE_NODE':
        return this.setOperation(node, outer, scopeEnv);
      case 'SELECT_NODE':
        return this.plainSelect(node, outer, scopeEnv);
      default:
        this.expression(node, new Scope(outer), scopeEnv);
        return [];
    }
  }

  /** Walks an expression: resolves its column references and the sub-queries it contains. */
  expression(node: unknown, scope: Scope, env: CteEnv, mode: ExpressionMode = PLAIN): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expression(item, scope, env, mode);
      return;
    }
    if (!isNode(node)) return;
    switch (node.class) {
      case 'COLUMN_REF':
        this.columnRef(node, scope, mode);
        return;
      case 'SUBQUERY': {
        const query = queryOf(node.subquery);
        if (query) this.select(query, scope, env);
        this.expression(node.child, scope, env, mode);
        return;
      }
      case 'LAMBDA': {
        const params = lambdaParameters(node);
        this.expression(node.expr, scope, env, { ...mode, lambdaParams: new Set([...mode.lambdaParams, ...params]) });
        return;
      }
    }
    for (const [key, value] of Object.entries(node)) if (!INERT.has(key)) this.expression(value, scope, env, mode);
  }

  /** JS offset of a parse-tree location. */
  at(location: number | undefined): number {
    return this.context.offsets.fromByte(this.context.base + (location ?? 0));
  }

  /** A name as DuckDB compares it: unquoted names lower-cased, quoted ones kept. */
  name(written: string, token: Token | undefined): string {
    return token?.text.startsWith('"') ? written : written.toLowerCase();
  }

  private withClause(node: DuckNode, outer: Scope | undefined, env: CteEnv): CteEnv {
    const entries = nodesAt(nodeAt(node, 'cte_map'), 'map');
    if (entries.length === 0) return env;
    const scopeEnv = new Map(env);
    for (const entry of entries) {
      const name = (typeof entry.key === 'string' ? entry.key : '').toLowerCase();
      const value = nodeAt(entry, 'value');
      const aliases = stringsAt(value, 'aliases').map((a) => a.toLowerCase());
      const query = queryOf(value?.query);
      this.context.findings.ctes.push(name);
      if (query === undefined) {
        scopeEnv.set(name, renameColumns(undefined, aliases));
        continue;
      }
      if (query.type === 'RECURSIVE_CTE_NODE') {
        // A recursive CTE sees itself: learn its columns from a silent walk first.
        scopeEnv.set(name, renameColumns(undefined, aliases));
        if (aliases.length === 0) scopeEnv.set(name, relationColumns(this.silently().select(query, outer, scopeEnv)));
      }
      scopeEnv.set(name, renameColumns(relationColumns(this.select(query, outer, scopeEnv)), aliases));
    }
    return scopeEnv;
  }

  /** Records the input columns an expression reads as dataset-level lineage (rows decided by them). */
  recordDataset(node: unknown, scope: Scope, env: CteEnv, subtype: IndirectSubtype): void {
    this.context.findings.dataset.push(...this.lineage.reads(node, scope, env, subtype));
  }

  /** The span of the last name of a column reference (`amount` in `o.amount`). */
  referenceSpan(ref: DuckNode, parts: number): SqlSpan {
    const at = this.at(locationOf(ref));
    const tokens = this.context.tokens.dottedName(at, parts);
    const last = tokens[tokens.length - 1];
    return last === undefined ? { start: at, end: at } : { start: last.start, end: last.end };
  }

  /** A walker whose findings are discarded. */
  silently(): DuckWalker {
    return new DuckWalker({ ...this.context, findings: this.context.findings.scratch() });
  }

  private setOperation(node: DuckNode, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const left = nodeAt(node, 'left');
    const right = nodeAt(node, 'right');
    const outputs = left === undefined ? [] : this.select(left, outer, env);
    const others = right === undefined ? [] : this.select(right, outer, env);
    // ORDER BY of a set operation names its output columns; only sub-queries there can read tables.
    this.subqueriesOnly(modifierExpressions(node), new Scope(outer), env);
    // A set operation's column comes from the matching column of every branch.
    return outputs.map((item, i) => {
      const lineage = mergeLineage([item, others[i]]);
      return { ...item, origin: undefined, ...(lineage ? { lineage } : {}) };
    });
  }

  private plainSelect(node: DuckNode, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const from = nodeAt(node, 'from_table');
    const list = nodesAt(node, 'select_list');
    if (from?.type === 'EXPRESSION_LIST' && list.length === 1 && locationOf(list[0]) === undefined)
      return this.values(from, outer, env);
    const scope = this.fromClause.build(from, outer, env);
    scope.aliases = new Set(list.flatMap((t) => (stringAt(t, 'alias') === undefined ? [] : [this.aliasOf(t)])));
    const outputs = list.flatMap((target) => this.target(target, scope, env));
    this.expression(node.where_clause, scope, env);
    this.expression(
      [node.group_expressions, node.having, node.qualify, modifierExpressions(node)],
      scope,
      env,
      SORTING,
    );
    this.recordClauses(node, scope, env, outputs);
    return outputs;
  }

  /** Dataset-level lineage of the clauses that decide rows, groups and order. */
  private recordClauses(node: DuckNode, scope: Scope, env: CteEnv, outputs: readonly OutputItem[]): void {
    this.recordDataset([node.where_clause, node.having, node.qualify], scope, env, 'FILTER');
    this.recordDataset(node.group_expressions, scope, env, 'GROUP_BY');
    const all = (items: readonly OutputItem[], subtype: IndirectSubtype) =>
      this.context.findings.dataset.push(
        ...items.flatMap((o) => (o.lineage?.direct ?? []).map((e) => ({ ...e, subtype }))),
      );
    if (node.aggregate_handling === 'FORCE_AGGREGATES')
      all(
        outputs.filter((o) => !o.lineage?.direct.some((e) => e.subtype === 'AGGREGATION')),
        'GROUP_BY',
      );
    const orders = nodesAt(node, 'modifiers').flatMap((m) =>
      nodesAt(m, 'orders').flatMap((o) => (nodeAt(o, 'expression') ? [nodeAt(o, 'expression')!] : [])),
    );
    if (orders.some((o) => o.class === 'STAR')) all(outputs, 'SORT');
    else this.recordDataset(orders, scope, env, 'SORT');
  }

  /** `VALUES (…), (…)`: DuckDB's `SELECT * FROM (VALUES …)`; the outputs are the first row's items. */
  private values(list: DuckNode, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const rows = Array.isArray(list.values) ? (list.values as unknown[]) : [];
    const scope = new Scope(outer);
    this.expression(rows, scope, env);
    const first = Array.isArray(rows[0]) ? (rows[0] as unknown[]).filter(isNode) : [];
    return first.map((value) => {
      const span = this.context.tokens.listItem(this.at(locationBound(value, 'min')));
      return { ...span, name: null, expression: this.text(span), star: false, origin: undefined };
    });
  }

  private target(target: DuckNode, scope: Scope, env: CteEnv): OutputItem[] {
    const start = this.at(locationBound(target, 'min'));
    const item = this.context.tokens.listItem(start);
    if (target.class === 'STAR' && target.columns !== true && nodeAt(target, 'expr') === undefined)
      return this.starItems(target, scope, env, item);
    if (target.class === 'STAR' && target.columns === true) {
      const expanded = this.columnsItems(target, scope, env, item);
      if (expanded !== undefined) return expanded;
    }
    this.expression(target, scope, env);
    const alias = stringAt(target, 'alias');
    const written = alias === undefined ? item : this.context.tokens.withoutAlias(item);
    const column = plainColumn(target);
    const names = column === undefined ? undefined : this.columnNamesOf(column);
    const resolution = names === undefined ? undefined : resolveColumn(names, scope);
    const origin = resolution?.kind === 'read' ? resolution.origin : undefined;
    // DuckDB names an unaliased expression by its text (`CAST(x AS INTEGER)`): only a bare column keeps its name.
    const name =
      alias !== undefined
        ? this.aliasOf(target)
        : target.class === 'COLUMN_REF'
          ? (names?.[names.length - 1] ?? null)
          : null;
    if (target.class === 'STAR') return [{ ...item, name: null, expression: this.text(item), star: true, origin }];
    const lineage = this.lineage.of(target, scope, env);
    if (name !== null && !scope.aliasLineage.has(name)) scope.aliasLineage.set(name, lineage);
    return [{ ...item, name, expression: this.text(written), star: false, origin, lineage }];
  }

  /** `*`, `t.*`, with `EXCLUDE`, `REPLACE` and `RENAME`. */
  private starItems(star: DuckNode, scope: Scope, env: CteEnv, item: SqlSpan): OutputItem[] {
    const relation = stringAt(star, 'relation_name');
    const replacements = nodesAt(star, 'replace_list');
    for (const r of replacements) this.expression(r.value, scope, env);
    const expression = this.text(item);
    const columns =
      relation === undefined ? expandFrom(scope.from) : findSource(scope, relation.toLowerCase())?.columns;
    if (columns === undefined || columns.length === 0)
      return [{ ...item, name: null, expression, star: true, origin: undefined }];
    const excluded = new Set(
      [...stringsAt(star, 'exclude_list'), ...qualifiedExcludes(star)].map((n) => n.toLowerCase()),
    );
    const replaced = new Map(
      replacements.map(
        (r) =>
          [String(r.key).toLowerCase(), isNode(r.value) ? this.lineage.of(r.value, scope, env) : undefined] as const,
      ),
    );
    const renamed = new Map(
      nodesAt(star, 'rename_list').map((r) => [qualifiedName(r.key).toLowerCase(), String(r.value)] as const),
    );
    return columns
      .filter((c) => c.name === null || !excluded.has(c.name.toLowerCase()))
      .map((c) => {
        const key = c.name?.toLowerCase() ?? '';
        const name = renamed.get(key) ?? c.name;
        if (replaced.has(key)) {
          const lineage = replaced.get(key);
          return { ...item, name, expression, star: false, origin: undefined, ...(lineage ? { lineage } : {}) };
        }
        return { ...item, name, expression, star: false, origin: c.origin, ...starLineage(c, item) };
      });
  }

  /** `COLUMNS('regex')` and `COLUMNS(*)` over known columns; undefined when not expandable. */
  private columnsItems(star: DuckNode, scope: Scope, env: CteEnv, item: SqlSpan): OutputItem[] | undefined {
    const pattern = nodeAt(star, 'expr');
    const regex = pattern?.class === 'CONSTANT' ? (nodeAt(pattern, 'value')?.value as unknown) : undefined;
    if (pattern !== undefined && typeof regex !== 'string') return undefined;
    const columns = expandFrom(scope.from);
    if (columns === undefined) return undefined;
    let test: (c: RelationColumn) => boolean = () => true;
    if (typeof regex === 'string') {
      try {
        const re = new RegExp(regex);
        test = (c) => c.name !== null && re.test(c.name);
      } catch {
        return undefined;
      }
    }
    this.expression(star, scope, env);
    const expression = this.text(item);
    return columns
      .filter(test)
      .map((c) => ({ ...item, name: c.name, expression, star: false, origin: c.origin, ...starLineage(c, item) }));
  }

  private columnRef(ref: DuckNode, scope: Scope, mode: ExpressionMode): void {
    const names = this.columnNamesOf(ref);
    const [first, second] = names;
    if (first === undefined || mode.lambdaParams.has(first)) return;
    if (second === undefined && mode.hideAliases && scope.aliases.has(first)) return;
    if (second === undefined && SPECIAL_VALUES.has(first)) return;
    const column = names[names.length - 1] ?? '';
    const resolution = resolveColumn(names, scope);
    if (resolution.kind === 'none') return;
    const at = this.at(locationOf(ref));
    const tokens = this.context.tokens.dottedName(at, names.length);
    const last = tokens[tokens.length - 1];
    const span = last === undefined ? { start: at, end: at } : { start: last.start, end: last.end };
    const findings = this.context.findings;
    if (resolution.kind === 'read')
      findings.reads.push({ table: resolution.origin.table, column: resolution.origin.column, ...span });
    else findings.ambiguous.push({ tables: resolution.tables, column, ...span });
  }

  /** A column reference's names, each as DuckDB compares it. */
  columnNamesOf(ref: DuckNode): string[] {
    const names = columnNames(ref) ?? [];
    const location = locationOf(ref);
    const tokens = location === undefined ? [] : this.context.tokens.dottedName(this.at(location), names.length);
    return names.map((n, i) => this.name(n, tokens[i]));
  }

  private aliasOf(target: DuckNode): string {
    const alias = stringAt(target, 'alias') ?? '';
    const item = this.context.tokens.listItem(this.at(locationBound(target, 'min')));
    const last = this.context.tokens.tokenAt(item.end - 1);
    return last !== undefined && last.text.startsWith('"') ? alias : alias.toLowerCase();
  }

  /** Walks only the sub-queries inside expressions (their columns are resolved in their own scopes). */
  private subqueriesOnly(node: unknown, scope: Scope, env: CteEnv): void {
    if (Array.isArray(node)) return node.forEach((n) => this.subqueriesOnly(n, scope, env));
    if (!isNode(node)) return;
    if (node.class === 'SUBQUERY') {
      const query = queryOf(node.subquery);
      if (query) this.select(query, scope, env);
    }
    for (const [key, value] of Object.entries(node))
      if (key !== 'subquery' && typeof value === 'object') this.subqueriesOnly(value, scope, env);
  }

  text(span: SqlSpan): string {
    return this.context.offsets.text.slice(span.start, span.end);
  }
}

/** A column a star passes on: its own lineage, or IDENTITY from its physical column (at the star). */
function starLineage(column: RelationColumn, star: SqlSpan): { lineage?: SqlColumnLineage } {
  if (column.lineage !== undefined) return { lineage: column.lineage };
  if (column.origin === undefined) return {};
  return { lineage: { direct: [{ ...column.origin, subtype: 'IDENTITY', ...spanOf(star) }], indirect: [] } };
}

function spanOf(span: SqlSpan): SqlSpan {
  return { start: span.start, end: span.end };
}

function qualifiedExcludes(star: DuckNode): string[] {
  return nodesAt(star, 'qualified_exclude_list').map((q) => qualifiedName(q));
}

/** The column of a qualified column name (`{column_names: […]}` or a plain string). */
function qualifiedName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isNode(value)) {
    const names = stringsAt(value, 'column_names');
    if (names.length > 0) return names[names.length - 1]!;
    const column = stringAt(value, 'column');
    if (column !== undefined) return column;
  }
  return '';
}
