import { composeDirect, type DirectSubtype, type IndirectSubtype } from '../../../domain/lineage/lineage-kinds.js';
import type { SqlColumnLineage, SqlLineageEdge } from '../../../ports/sql-analyzer.js';
import { lineageTarget, type Scope } from '../sql-scope.js';
import { isNode, lambdaParameters, nodeAt, nodesAt, queryOf, stringAt, type DuckNode } from './duck-nodes.js';
import type { CteEnv, DuckWalker } from './duck-walker.js';

/** Aggregate functions (DuckDB's, by name): their arguments flow into the output as AGGREGATION. */
const AGGREGATES = new Set(
  (
    'any_value approx_count_distinct approx_quantile arbitrary arg_max arg_max_null arg_min arg_min_null argmax argmin ' +
    'array_agg avg bit_and bit_or bit_xor bitstring_agg bool_and bool_or count count_if countif corr covar_pop ' +
    'covar_samp entropy favg first fsum geomean geometric_mean group_concat histogram kurtosis kurtosis_pop last list ' +
    'listagg mad max max_by mean median min min_by mode product quantile quantile_cont quantile_disc regr_avgx ' +
    'regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile sem ' +
    'skewness stddev stddev_pop stddev_samp string_agg sum sum_no_overflow sumkahan var_pop var_samp variance ' +
    'percentile_cont percentile_disc'
  ).split(' '),
);

const NOTHING: SqlColumnLineage = { direct: [], indirect: [] };

interface Context {
  readonly direct: DirectSubtype;
  readonly params: ReadonlySet<string>;
}

/**
 * Computes column lineage over DuckDB's expression trees: for an expression, the input columns
 * its value derives from (direct, with how) and those that decide it (indirect: CASE conditions,
 * window partitions and orders, aggregate FILTER and ORDER BY, EXISTS/IN sub-queries).
 */
export class DuckLineage {
  constructor(private readonly walker: DuckWalker) {}

  /** The lineage of a select-list expression. */
  of(node: DuckNode, scope: Scope, env: CteEnv): SqlColumnLineage {
    return dedupe(this.visit(node, scope, env, { direct: 'IDENTITY', params: new Set() }));
  }

  /** Every input column an expression reads, as indirect edges of one subtype (WHERE, JOIN ON, GROUP BY …). */
  reads(node: unknown, scope: Scope, env: CteEnv, subtype: IndirectSubtype): SqlLineageEdge<IndirectSubtype>[] {
    const found = this.visit(node, scope, env, { direct: 'IDENTITY', params: new Set() });
    return [
      ...dedupe({
        direct: [],
        indirect: [...found.direct, ...found.indirect].map((e) => ({ ...e, subtype })),
      }).indirect,
    ];
  }

  private visit(node: unknown, scope: Scope, env: CteEnv, ctx: Context): SqlColumnLineage {
    if (Array.isArray(node)) return merge(node.map((n) => this.visit(n, scope, env, ctx)));
    if (!isNode(node)) return NOTHING;
    switch (node.class) {
      case 'COLUMN_REF':
        return this.column(node, scope, ctx);
      case 'CONSTANT':
      case 'PARAMETER':
      case 'STAR':
        return NOTHING;
      case 'FUNCTION':
        return this.call(node, scope, env, ctx, AGGREGATES.has(String(node.function_name).toLowerCase()));
      case 'WINDOW': {
        const call = this.call(node, scope, env, ctx, AGGREGATES.has(String(node.function_name).toLowerCase()));
        const decides = this.visit([node.partitions, orderExpressions(node, 'orders')], scope, env, ctx);
        const filter = this.visit(node.filter_expr, scope, env, ctx);
        return merge([call, indirect(decides, 'WINDOW'), indirect(filter, 'FILTER')]);
      }
      case 'CASE': {
        const branch = { ...ctx, direct: composeDirect(ctx.direct, 'TRANSFORMATION') };
        const checks = nodesAt(node, 'case_checks');
        const conditions = this.visit(
          checks.map((c) => c.when_expr),
          scope,
          env,
          ctx,
        );
        const values = this.visit([checks.map((c) => c.then_expr), node.else_expr], scope, env, branch);
        return merge([values, indirect(conditions, 'CONDITIONAL')]);
      }
      case 'SUBQUERY':
        return this.subquery(node, scope, env, ctx);
      case 'LAMBDA': {
        const params = new Set([...ctx.params, ...lambdaParameters(node)]);
        return this.visit(node.expr, scope, env, { ...ctx, params });
      }
      case 'COLLATE':
        return this.visit(node.child, scope, env, ctx);
      default: {
        const inner = { ...ctx, direct: composeDirect(ctx.direct, 'TRANSFORMATION') };
        const children = Object.entries(node).flatMap(([key, value]) =>
          key === 'query_location' || typeof value !== 'object' ? [] : [value],
        );
        return this.visit(children, scope, env, inner);
      }
    }
  }

  private column(ref: DuckNode, scope: Scope, ctx: Context): SqlColumnLineage {
    const names = this.walker.columnNamesOf(ref);
    const first = names[0];
    if (first === undefined || ctx.params.has(first)) return NOTHING;
    const target = lineageTarget(names, scope);
    if (target === undefined) return NOTHING;
    if (target.kind === 'physical') {
      const span = this.walker.referenceSpan(ref, names.length);
      return { direct: [{ ...target.origin, subtype: ctx.direct, ...span }], indirect: [] };
    }
    const lineage = target.lineage ?? NOTHING;
    return {
      direct: lineage.direct.map((e) => ({ ...e, subtype: composeDirect(e.subtype, ctx.direct) })),
      indirect: lineage.indirect,
    };
  }

  private call(node: DuckNode, scope: Scope, env: CteEnv, ctx: Context, aggregate: boolean): SqlColumnLineage {
    const inner = { ...ctx, direct: composeDirect(ctx.direct, aggregate ? 'AGGREGATION' : 'TRANSFORMATION') };
    const args = this.visit(node.children, scope, env, inner);
    const filter = this.visit(node.filter, scope, env, ctx);
    const order = this.visit(orderExpressions(nodeAt(node, 'order_bys'), 'orders'), scope, env, ctx);
    const argOrder = this.visit(orderExpressions(node, 'arg_orders'), scope, env, ctx);
    return merge([args, indirect(filter, 'FILTER'), indirect(order, 'SORT'), indirect(argOrder, 'SORT')]);
  }

  /** A scalar sub-query passes its column on; EXISTS / IN / ANY only decide (CONDITIONAL). */
  private subquery(node: DuckNode, scope: Scope, env: CteEnv, ctx: Context): SqlColumnLineage {
    const query = queryOf(node.subquery);
    const outputs = query === undefined ? [] : this.walker.silently().select(query, scope, env);
    const inner = merge(outputs.map((o) => o.lineage ?? NOTHING));
    const operand = this.visit(node.child, scope, env, { ...ctx, direct: composeDirect(ctx.direct, 'TRANSFORMATION') });
    if (stringAt(node, 'subquery_type') === 'SCALAR')
      return {
        direct: inner.direct.map((e) => ({ ...e, subtype: composeDirect(e.subtype, ctx.direct) })),
        indirect: inner.indirect,
      };
    return merge([operand, indirect(inner, 'CONDITIONAL')]);
  }
}

function orderExpressions(node: DuckNode | undefined, key: string): DuckNode[] {
  return nodesAt(node, key).flatMap((o) => {
    const expression = nodeAt(o, 'expression');
    return expression === undefined ? [] : [expression];
  });
}

/** Everything a part reads, as indirect edges of one subtype. */
function indirect(part: SqlColumnLineage, subtype: IndirectSubtype): SqlColumnLineage {
  return { direct: [], indirect: [...part.direct, ...part.indirect].map((e) => ({ ...e, subtype })) };
}

function merge(parts: readonly SqlColumnLineage[]): SqlColumnLineage {
  if (parts.length === 1) return parts[0]!;
  return { direct: parts.flatMap((p) => p.direct), indirect: parts.flatMap((p) => p.indirect) };
}

/** One edge per (table, column, subtype), the first span kept. */
export function dedupe(lineage: SqlColumnLineage): SqlColumnLineage {
  return { direct: unique(lineage.direct), indirect: unique(lineage.indirect) };
}

function unique<E extends SqlLineageEdge>(edges: readonly E[]): E[] {
  const seen = new Map<string, E>();
  for (const e of edges) {
    const key = `${e.table}\u0000${e.column}\u0000${e.subtype}`;
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()];
}
