import type { FuncCall, JoinExpr, Node, RangeFunction, RangeSubselect, RangeVar } from 'libpg-query';
import type { SqlTableRef } from '../../ports/sql-analyzer.js';
import { aliasColumns, isRecord, locationBound, selectOf, stringsOf } from './pg-nodes.js';
import type { CteEnv, QueryWalker } from './query-walker.js';
import {
  commonColumns,
  expandItem,
  relationColumns,
  renameColumns,
  resolveInItem,
  Scope,
  type FromItem,
  type JoinItem,
  type RelationColumns,
  type Source,
} from './sql-scope.js';

/** Builds the scope of a SELECT from its FROM clause, walking the sub-queries and join conditions in it. */
export class FromClauseBuilder {
  constructor(private readonly walker: QueryWalker) {}

  build(clause: readonly Node[], outer: Scope | undefined, env: CteEnv): Scope {
    const scope = new Scope(outer);
    for (const node of clause) scope.from.push(this.item(node, scope, env));
    return scope;
  }

  /** The source a table reference makes: a CTE in scope, or else a physical table (recorded). */
  tableSource(table: RangeVar, env: CteEnv): Source {
    const name = table.relname ?? '';
    const alias = table.alias?.aliasname;
    const renames = aliasColumns(table.alias);
    const unqualified = table.schemaname === undefined && table.catalogname === undefined;
    if (unqualified && env.has(name)) {
      return {
        refName: alias ?? name,
        schema: undefined,
        table: undefined,
        direct: false,
        columns: renameColumns(env.get(name), renames),
      };
    }
    this.record(table);
    const known = this.walker.context.tableColumns(name);
    const columns: RelationColumns = known?.map((column) => ({ name: column, origin: { table: name, column } }));
    return {
      refName: alias ?? name,
      schema: table.schemaname,
      table: name,
      direct: renames.length === 0,
      columns: renameColumns(columns, renames),
    };
  }

  private item(node: Node, scope: Scope, env: CteEnv): FromItem {
    if ('JoinExpr' in node) return this.join(node.JoinExpr, scope, env);
    if ('RangeTableSample' in node) {
      const sample = node.RangeTableSample;
      this.walker.expression([sample.args, sample.repeatable], scope, env);
      if (sample.relation !== undefined) return this.item(sample.relation, scope, env);
    }
    return leaf(scope, this.source(node, scope, env));
  }

  private source(node: Node, scope: Scope, env: CteEnv): Source {
    if ('RangeVar' in node) return this.tableSource(node.RangeVar, env);
    if ('RangeSubselect' in node) return this.subselect(node.RangeSubselect, scope, env);
    if ('RangeFunction' in node) return this.tableFunction(node.RangeFunction, scope, env);
    // Other table-producing constructs (XMLTABLE, JSON_TABLE, …): their columns are not tracked.
    this.walker.expression(node, scope, env);
    const body = Object.values(node)[0] as unknown;
    const alias =
      isRecord(body) && isRecord(body.alias) && typeof body.alias.aliasname === 'string'
        ? body.alias.aliasname
        : undefined;
    return { refName: alias, schema: undefined, table: undefined, direct: false, columns: undefined };
  }

  private subselect(sub: RangeSubselect, scope: Scope, env: CteEnv): Source {
    const query = selectOf(sub.subquery);
    // Only a LATERAL sub-query sees the FROM items before it; any sees the enclosing queries.
    const outputs = query === undefined ? [] : this.walker.select(query, sub.lateral ? scope : scope.parent, env);
    const columns = query === undefined ? undefined : renameColumns(relationColumns(outputs), aliasColumns(sub.alias));
    return { refName: sub.alias?.aliasname, schema: undefined, table: undefined, direct: false, columns };
  }

  /** `generate_series(…) AS g(x)`, `unnest(…)`, `read_csv(…)`: columns known only from an alias or definition list. */
  private tableFunction(fn: RangeFunction, scope: Scope, env: CteEnv): Source {
    this.walker.expression(fn.functions, scope, env);
    const calls = (fn.functions ?? []).flatMap((n) => ('List' in n ? (n.List.items ?? []) : []));
    for (const call of calls) if ('FuncCall' in call) this.recordFunction(call.FuncCall);
    const firstCall = calls[0];
    const functionName =
      firstCall !== undefined && 'FuncCall' in firstCall ? stringsOf(firstCall.FuncCall.funcname).pop() : undefined;
    const defined = (fn.coldeflist ?? []).flatMap((n) =>
      'ColumnDef' in n && n.ColumnDef.colname !== undefined ? [n.ColumnDef.colname] : [],
    );
    const names = aliasColumns(fn.alias).length > 0 ? aliasColumns(fn.alias) : defined;
    const columns = names.length > 0 ? renameColumns(undefined, names) : undefined;
    return {
      refName: fn.alias?.aliasname ?? functionName,
      schema: undefined,
      table: undefined,
      direct: false,
      columns,
    };
  }

  private join(join: JoinExpr, scope: Scope, env: CteEnv): FromItem {
    const before = scope.sources.length;
    const left = join.larg === undefined ? undefined : this.item(join.larg, scope, env);
    const right = join.rarg === undefined ? undefined : this.item(join.rarg, scope, env);
    if (left === undefined || right === undefined) return left ?? right ?? leaf(scope, unknownSource());
    const written = stringsOf(join.usingClause);
    this.usingReads(join, left, right, written);
    const using = join.isNatural ? commonColumns(left, right) : written;
    if (join.jointype !== 'JOIN_FULL') for (const column of using) scope.merged.add(column);
    const item: JoinItem = { kind: 'join', left, right, using, joinType: join.jointype };
    this.walker.expression(join.quals, scope, env);
    if (join.alias === undefined) return item;
    // `(a JOIN b …) AS j` hides the names of a and b behind j.
    scope.sources.splice(before);
    const columns = renameColumns(expandItem(item), aliasColumns(join.alias));
    return leaf(scope, { refName: join.alias.aliasname, schema: undefined, table: undefined, direct: false, columns });
  }

  /** A `USING (col)` column is read from both sides of the join. */
  private usingReads(join: JoinExpr, left: FromItem, right: FromItem, columns: readonly string[]): void {
    if (columns.length === 0) return;
    const afterRight = this.walker.at(locationBound(join.rarg, 'max') ?? locationBound(join.larg, 'max'));
    const tokens = this.walker.context.tokens.usingColumns(afterRight);
    if (tokens.length !== columns.length) return;
    columns.forEach((column, i) => {
      const token = tokens[i]!;
      for (const side of [left, right]) {
        const resolution = resolveInItem(side, column);
        if (resolution.kind === 'read')
          this.walker.context.findings.reads.push({ ...resolution.origin, start: token.start, end: token.end });
      }
    });
  }

  private record(table: RangeVar): void {
    const start = this.walker.at(table.location);
    const parts = 1 + (table.schemaname === undefined ? 0 : 1) + (table.catalogname === undefined ? 0 : 1);
    const tokens = this.walker.context.tokens.dottedName(start, parts);
    const last = tokens[tokens.length - 1];
    const text = this.walker.context.offsets.text;
    const ref: SqlTableRef = {
      name: table.relname ?? '',
      ...(table.schemaname === undefined ? {} : { schema: table.schemaname }),
      ...(table.alias?.aliasname === undefined ? {} : { alias: table.alias.aliasname }),
      quoted: last === undefined ? text[start] === '"' : last.text.startsWith('"'),
      start: tokens[0]?.start ?? start,
      end: last?.end ?? start + (table.relname ?? '').length,
    };
    this.walker.context.findings.tables.push(ref);
  }

  /** A function called as a FROM item, with the span of the whole call (`main.read_csv('x.csv')`). */
  private recordFunction(call: FuncCall): void {
    const names = stringsOf(call.funcname);
    const name = names[names.length - 1];
    if (name === undefined) return;
    const start = this.walker.at(call.location);
    const span = this.walker.context.tokens.call(start, names.length) ?? { start, end: start + name.length };
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    this.walker.context.findings.tableFunctions.push({ name, ...(schema === undefined ? {} : { schema }), ...span });
  }
}

function leaf(scope: Scope, source: Source): FromItem {
  scope.sources.push(source);
  return { kind: 'source', source };
}

function unknownSource(): Source {
  return { refName: undefined, schema: undefined, table: undefined, direct: false, columns: undefined };
}
