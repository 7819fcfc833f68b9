import type { SqlTableRef } from '../../../ports/sql-analyzer.js';
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
} from '../sql-scope.js';
import {
  locationBound,
  locationOf,
  nodeAt,
  nodesAt,
  queryOf,
  stringAt,
  stringsAt,
  type DuckNode,
} from './duck-nodes.js';
import type { CteEnv, DuckWalker } from './duck-walker.js';
import { pivotColumns } from './duck-pivot.js';

/** Builds the scope of a SELECT from DuckDB's FROM tree, walking the sub-queries and join conditions in it. */
export class DuckFromClause {
  constructor(private readonly walker: DuckWalker) {}

  build(table: DuckNode | undefined, outer: Scope | undefined, env: CteEnv): Scope {
    const scope = new Scope(outer);
    if (table !== undefined && table.type !== 'EMPTY') scope.from.push(this.item(table, scope, env));
    return scope;
  }

  private item(table: DuckNode, scope: Scope, env: CteEnv): FromItem {
    if (table.type === 'JOIN') return this.join(table, scope, env);
    return leaf(scope, this.source(table, scope, env));
  }

  private source(table: DuckNode, scope: Scope, env: CteEnv): Source {
    const aliasColumns = stringsAt(table, 'column_name_alias').map((c) => c.toLowerCase());
    const alias = this.alias(table);
    switch (table.type) {
      case 'BASE_TABLE':
        return this.tableSource(table, env, alias, aliasColumns);
      case 'SUBQUERY': {
        const query = queryOf(table.subquery);
        // DuckDB sub-queries in FROM see the FROM items before them (implicit LATERAL).
        const outputs = query === undefined ? [] : this.walker.select(query, scope, env);
        const columns = query === undefined ? undefined : renameColumns(relationColumns(outputs), aliasColumns);
        return opaque(alias, columns);
      }
      case 'TABLE_FUNCTION': {
        const call = nodeAt(table, 'function');
        const name = this.recordFunction(call);
        this.walker.expression(call, scope, env);
        return opaque(alias ?? name, aliasColumns.length > 0 ? renameColumns(undefined, aliasColumns) : undefined);
      }
      case 'EXPRESSION_LIST': {
        const rows = Array.isArray(table.values) ? (table.values as unknown[]) : [];
        this.walker.expression(rows, scope, env);
        const width = Array.isArray(rows[0]) ? rows[0].length : 0;
        const names = Array.from({ length: width }, (_, i) => aliasColumns[i] ?? `col${i}`);
        return opaque(alias ?? 'valueslist', renameColumns(undefined, names));
      }
      case 'PIVOT': {
        const source = nodeAt(table, 'source');
        const inner = new Scope(scope.parent);
        const item = source === undefined ? undefined : this.item(source, inner, env);
        if (item !== undefined) inner.from.push(item);
        this.walker.expression(
          [table.aggregates, nodesAt(table, 'pivots').map((p) => p.pivot_expressions)],
          inner,
          env,
        );
        const columns = pivotColumns(table, item === undefined ? undefined : expandItem(item));
        return opaque(alias, aliasColumns.length > 0 ? renameColumns(columns, aliasColumns) : columns);
      }
      default:
        this.walker.expression(table, scope, env);
        return opaque(alias, undefined);
    }
  }

  /** The source a table reference makes: a CTE in scope, or else a physical table (recorded). */
  private tableSource(table: DuckNode, env: CteEnv, alias: string | undefined, renames: string[]): Source {
    const ref = this.record(table, alias);
    const name = ref.name;
    if (ref.schema === undefined && !stringAt(table, 'catalog_name') && env.has(name.toLowerCase())) {
      this.walker.context.findings.tables.pop(); // a CTE, not a table
      return opaque(alias ?? name.toLowerCase(), renameColumns(env.get(name.toLowerCase()), renames));
    }
    const known = this.walker.context.tableColumns(name);
    const columns: RelationColumns = known?.map((column) => ({ name: column, origin: { table: name, column } }));
    return {
      refName: alias ?? name,
      schema: ref.schema,
      table: name,
      direct: renames.length === 0,
      columns: renameColumns(columns, renames),
    };
  }

  private join(join: DuckNode, scope: Scope, env: CteEnv): FromItem {
    const leftNode = nodeAt(join, 'left');
    const rightNode = nodeAt(join, 'right');
    const left = leftNode === undefined ? undefined : this.item(leftNode, scope, env);
    const right = rightNode === undefined ? undefined : this.item(rightNode, scope, env);
    if (left === undefined || right === undefined) return left ?? right ?? leaf(scope, opaque(undefined, undefined));
    const written = stringsAt(join, 'using_columns').map((c) => c.toLowerCase());
    this.usingReads(rightNode ?? leftNode, left, right, written);
    const using = join.ref_type === 'NATURAL' ? commonColumns(left, right) : written;
    const joinType =
      join.join_type === 'FULL' || join.join_type === 'OUTER' ? 'full' : join.join_type === 'RIGHT' ? 'right' : 'other';
    if (joinType !== 'full') for (const column of using) scope.merged.add(column);
    const item: JoinItem = { kind: 'join', left, right, using, joinType };
    this.walker.expression(join.condition, scope, env);
    this.walker.recordDataset(join.condition, scope, env, 'JOIN');
    return item;
  }

  /** A `USING (col)` column is read from both sides of the join. */
  private usingReads(after: DuckNode | undefined, left: FromItem, right: FromItem, columns: readonly string[]): void {
    if (columns.length === 0) return;
    const tokens = this.walker.context.tokens.usingColumns(this.walker.at(locationBound(after, 'max')));
    if (tokens.length !== columns.length) return;
    columns.forEach((column, i) => {
      const token = tokens[i]!;
      for (const side of [left, right]) {
        const resolution = resolveInItem(side, column);
        if (resolution.kind !== 'read') continue;
        const span = { start: token.start, end: token.end };
        this.walker.context.findings.reads.push({ ...resolution.origin, ...span });
        this.walker.context.findings.dataset.push({ ...resolution.origin, subtype: 'JOIN', ...span });
      }
    });
  }

  private alias(table: DuckNode): string | undefined {
    const alias = stringAt(table, 'alias');
    return alias === undefined ? undefined : alias.toLowerCase();
  }

  private record(table: DuckNode, alias: string | undefined): SqlTableRef {
    const start = this.walker.at(locationOf(table));
    const written = stringAt(table, 'table_name') ?? '';
    const schemaWritten = stringAt(table, 'schema_name');
    const catalog = stringAt(table, 'catalog_name');
    const parts = 1 + (schemaWritten === undefined ? 0 : 1) + (catalog === undefined ? 0 : 1);
    const tokens = this.walker.context.tokens.dottedNameEndingAt(start, parts);
    const last = tokens[tokens.length - 1];
    const schemaToken = schemaWritten === undefined ? undefined : tokens[tokens.length - 2];
    const ref: SqlTableRef = {
      name: this.walker.name(written, last),
      ...(schemaWritten === undefined ? {} : { schema: this.walker.name(schemaWritten, schemaToken) }),
      ...(alias === undefined ? {} : { alias }),
      quoted: last === undefined ? this.walker.context.offsets.text[start] === '"' : last.text.startsWith('"'),
      start: tokens[0]?.start ?? start,
      end: last?.end ?? start + written.length,
    };
    this.walker.context.findings.tables.push(ref);
    return ref;
  }

  /** A function called as a FROM item, with the span of the whole call (`main.read_csv('x.csv')`). */
  private recordFunction(call: DuckNode | undefined): string | undefined {
    const written = stringAt(call, 'function_name');
    if (written === undefined) return undefined;
    const schema = stringAt(call, 'schema');
    const start = this.walker.at(locationOf(call));
    const parts = schema === undefined ? 1 : 2;
    const span = this.walker.context.tokens.call(start, parts) ?? { start, end: start + written.length };
    const name = written.toLowerCase();
    this.walker.context.findings.tableFunctions.push({
      name,
      ...(schema === undefined ? {} : { schema: schema.toLowerCase() }),
      ...span,
    });
    return name;
  }
}

function leaf(scope: Scope, source: Source): FromItem {
  scope.sources.push(source);
  return { kind: 'source', source };
}

function opaque(refName: string | undefined, columns: RelationColumns): Source {
  return { refName, schema: undefined, table: undefined, direct: false, columns };
}
