import type {
  ColumnRef,
  CommonTableExpr,
  FuncCall,
  Node,
  RangeVar,
  ResTarget,
  SelectStmt,
  WithClause,
} from 'libpg-query';
import type { SqlSpan, TableColumns } from '../../ports/sql-analyzer.js';
import type { Findings } from './findings.js';
import { FromClauseBuilder } from './from-clause.js';
import {
  columnNames,
  implicitName,
  isRecord,
  lambdaParameters,
  locationBound,
  plainColumn,
  selectOf,
  starQualifier,
  stringsOf,
} from './pg-nodes.js';
import {
  expandFrom,
  findSource,
  relationColumns,
  renameColumns,
  resolveColumn,
  Scope,
  type OutputItem,
  type RelationColumns,
} from './sql-scope.js';
import type { SqlTokens } from './sql-tokens.js';
import type { TextOffsets } from './text-offsets.js';

/** The CTEs in scope, by name, with their columns. */
export type CteEnv = ReadonlyMap<string, RelationColumns>;

export interface WalkerContext {
  readonly offsets: TextOffsets;
  readonly tokens: SqlTokens;
  readonly tableColumns: TableColumns;
  readonly findings: Findings;
}

interface ExpressionMode {
  /** In ORDER BY / GROUP BY / HAVING / DISTINCT ON a bare name may be a select-list alias. */
  readonly hideAliases: boolean;
  readonly lambdaParams: ReadonlySet<string>;
}

const PLAIN: ExpressionMode = { hideAliases: false, lambdaParams: new Set() };
const SORTING: ExpressionMode = { hideAliases: true, lambdaParams: new Set() };

/**
 * Walks the parse tree of one statement: records the tables, CTEs and column reads into the
 * findings and computes the output columns of queries, resolving names scope by scope.
 */
export class QueryWalker {
  private readonly fromClause = new FromClauseBuilder(this);

  constructor(readonly context: WalkerContext) {}

  /** Walks a statement; returns its output columns when it is a query. */
  statement(node: Node): OutputItem[] | undefined {
    const select = selectOf(node);
    if (select !== undefined) return this.select(select, undefined, new Map());
    this.other(node, new Map());
    return undefined;
  }

  /** Walks a SELECT (plain, VALUES or set operation) whose correlated references resolve in `outer`. */
  select(stmt: SelectStmt, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const scopeEnv = stmt.withClause === undefined ? env : this.withClause(stmt.withClause, outer, env);
    if (stmt.op !== undefined && stmt.op !== 'SETOP_NONE') return this.setOperation(stmt, outer, scopeEnv);
    if (stmt.valuesLists !== undefined) return this.values(stmt.valuesLists, outer, scopeEnv);
    return this.plainSelect(stmt, outer, scopeEnv);
  }

  /** Walks an expression: resolves its column references and the sub-queries it contains. */
  expression(node: unknown, scope: Scope, env: CteEnv, mode: ExpressionMode = PLAIN): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expression(item, scope, env, mode);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'ColumnRef') this.columnRef(value as ColumnRef, scope, mode);
      else if (key === 'SelectStmt') this.select(value as SelectStmt, scope, env);
      else if (key === 'FuncCall') this.funcCall(value as FuncCall, scope, env, mode);
      else if (key === 'RangeVar') this.fromClause.tableSource(value as RangeVar, env);
      else this.expression(value, scope, env, mode);
    }
  }

  /** JS offset of a parse-tree location. */
  at(location: number | undefined): number {
    return this.context.offsets.fromByte(location ?? 0);
  }

  /** Walks a statement that is not a query (its sub-queries and tables still count). */
  private other(node: unknown, env: CteEnv): void {
    if (Array.isArray(node)) {
      for (const item of node) this.other(item, env);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.relname === 'string') {
      this.fromClause.tableSource(node as RangeVar, env); // a RangeVar field (`DELETE FROM t`, `INSERT INTO t`)
      return;
    }
    const scopeEnv = isRecord(node.withClause) ? this.withClause(node.withClause as WithClause, undefined, env) : env;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'withClause') continue;
      if (key === 'SelectStmt') this.select(value as SelectStmt, undefined, scopeEnv);
      else if (key === 'RangeVar') this.fromClause.tableSource(value as RangeVar, scopeEnv);
      else this.other(value, scopeEnv);
    }
  }

  private withClause(clause: WithClause, outer: Scope | undefined, env: CteEnv): CteEnv {
    const ctes = (clause.ctes ?? []).flatMap((n) => ('CommonTableExpr' in n ? [n.CommonTableExpr] : []));
    const scopeEnv = new Map(env);
    // In WITH RECURSIVE every CTE of the list is visible everywhere in it, itself included.
    if (clause.recursive)
      for (const cte of ctes) scopeEnv.set(cte.ctename ?? '', renameColumns(undefined, stringsOf(cte.aliascolnames)));
    for (const cte of ctes) {
      const name = cte.ctename ?? '';
      this.context.findings.ctes.push(name);
      if (clause.recursive && stringsOf(cte.aliascolnames).length === 0)
        scopeEnv.set(name, this.silently().cteColumns(cte, outer, scopeEnv));
      scopeEnv.set(name, this.cteColumns(cte, outer, scopeEnv));
    }
    return scopeEnv;
  }

  private cteColumns(cte: CommonTableExpr, outer: Scope | undefined, env: CteEnv): RelationColumns {
    const query = selectOf(cte.ctequery);
    if (query === undefined) {
      this.other(cte.ctequery, env); // a data-modifying CTE (INSERT … RETURNING)
      return renameColumns(undefined, stringsOf(cte.aliascolnames));
    }
    return renameColumns(relationColumns(this.select(query, outer, env)), stringsOf(cte.aliascolnames));
  }

  /** A walker whose findings are discarded (to learn a recursive CTE's columns before walking it). */
  private silently(): QueryWalker {
    return new QueryWalker({ ...this.context, findings: this.context.findings.scratch() });
  }

  private setOperation(stmt: SelectStmt, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const left = stmt.larg === undefined ? [] : this.select(stmt.larg, outer, env);
    if (stmt.rarg !== undefined) this.select(stmt.rarg, outer, env);
    // ORDER BY of a set operation names its output columns; only sub-queries there can read tables.
    this.subqueriesOnly([stmt.sortClause, stmt.limitCount, stmt.limitOffset], new Scope(outer), env);
    return left.map((item) => ({ ...item, origin: undefined }));
  }

  private values(lists: Node[], outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const scope = new Scope(outer);
    this.expression(lists, scope, env);
    const [first] = lists;
    const row = first !== undefined && 'List' in first ? (first.List.items ?? []) : [];
    return row.map((value) => {
      const span = this.context.tokens.listItem(this.at(locationBound(value, 'min')));
      return { ...span, name: null, expression: this.text(span), star: false, origin: undefined };
    });
  }

  private plainSelect(stmt: SelectStmt, outer: Scope | undefined, env: CteEnv): OutputItem[] {
    const scope = this.fromClause.build(stmt.fromClause ?? [], outer, env);
    const targets = (stmt.targetList ?? []).flatMap((n) => ('ResTarget' in n ? [n.ResTarget] : []));
    scope.aliases = new Set(targets.flatMap((t) => (t.name === undefined ? [] : [t.name])));
    const outputs = targets.flatMap((target) => this.target(target, scope, env));
    this.expression([stmt.whereClause, stmt.windowClause, stmt.limitCount, stmt.limitOffset], scope, env);
    this.expression([stmt.groupClause, stmt.havingClause, stmt.sortClause, stmt.distinctClause], scope, env, SORTING);
    return outputs;
  }

  private target(target: ResTarget, scope: Scope, env: CteEnv): OutputItem[] {
    const item = this.context.tokens.listItem(this.at(target.location));
    const star = starQualifier(target.val);
    if (star !== undefined) return this.starItems(star.ref, star.names, scope, item);
    this.expression(target.val, scope, env);
    const written = target.name === undefined ? item : this.context.tokens.withoutAlias(item);
    const column = plainColumn(target.val);
    const resolution = column === undefined ? undefined : resolveColumn(columnNames(column) ?? [], scope);
    const origin = resolution?.kind === 'read' ? resolution.origin : undefined;
    return [
      { ...item, name: target.name ?? implicitName(target.val), expression: this.text(written), star: false, origin },
    ];
  }

  private starItems(ref: ColumnRef, qualifier: string[], scope: Scope, item: SqlSpan): OutputItem[] {
    const tokens = this.context.tokens.dottedName(this.at(ref.location), qualifier.length + 1);
    const span = { start: tokens[0]?.start ?? item.start, end: tokens[tokens.length - 1]?.end ?? item.end };
    const [table, schema] = [...qualifier].reverse();
    const columns = table === undefined ? expandFrom(scope.from) : findSource(scope, table, schema)?.columns;
    const expression = this.text(span);
    if (columns === undefined || columns.length === 0)
      return [{ ...span, name: null, expression, star: true, origin: undefined }];
    return columns.map((c) => ({ ...span, name: c.name, expression, star: false, origin: c.origin }));
  }

  private columnRef(ref: ColumnRef, scope: Scope, mode: ExpressionMode): void {
    const names = columnNames(ref);
    if (names === undefined) return;
    const [first, second] = names;
    if (first === undefined || mode.lambdaParams.has(first)) return;
    if (second === undefined && mode.hideAliases && scope.aliases.has(first)) return;
    const column = names[names.length - 1] ?? '';
    const resolution = resolveColumn(names, scope);
    if (resolution.kind === 'none') return;
    const tokens = this.context.tokens.dottedName(this.at(ref.location), names.length);
    const last = tokens[tokens.length - 1];
    const span =
      last === undefined
        ? { start: this.at(ref.location), end: this.at(ref.location) }
        : { start: last.start, end: last.end };
    const findings = this.context.findings;
    if (resolution.kind === 'read')
      findings.reads.push({ table: resolution.origin.table, column: resolution.origin.column, ...span });
    else findings.ambiguous.push({ tables: resolution.tables, column, ...span });
  }

  private funcCall(call: FuncCall, scope: Scope, env: CteEnv, mode: ExpressionMode): void {
    for (const arg of call.args ?? []) {
      const params = lambdaParameters(arg);
      const argMode =
        params.length === 0 ? mode : { ...mode, lambdaParams: new Set([...mode.lambdaParams, ...params]) };
      this.expression(arg, scope, env, argMode);
    }
    this.expression([call.agg_order, call.agg_filter, call.over], scope, env, mode);
  }

  /** Walks only the sub-queries inside expressions (their columns are resolved in their own scopes). */
  private subqueriesOnly(node: unknown, scope: Scope, env: CteEnv): void {
    if (Array.isArray(node)) return node.forEach((n) => this.subqueriesOnly(n, scope, env));
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'SelectStmt') this.select(value as SelectStmt, scope, env);
      else this.subqueriesOnly(value, scope, env);
    }
  }

  private text(span: SqlSpan): string {
    return this.context.offsets.text.slice(span.start, span.end);
  }
}
