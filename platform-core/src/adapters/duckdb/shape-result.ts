import type { DuckDBConnection } from '@duckdb/node-api';
import { formatColumnType } from '../../domain/column-type.js';
import { schemaIncompatible } from '../../domain/errors.js';
import type { ExpressionSpan, OutputColumnSpec } from '../../ports/engine.js';
import { castTo, duckType, ident, isTextType } from './duck-sql.js';
import { expressionLocation, headline, type SqlLocation } from './error-location.js';

/** Shapes the logic's raw result to output.yaml: names, types, NOT NULL and primary keys. */

export const RAW_TABLE = '__hekima_raw';
export const OUT_TABLE = '__hekima_out';
const SAMPLE_LIMIT = 20;

export interface ShapeContext {
  readonly sql?: string;
  readonly file?: string;
  readonly spans?: readonly ExpressionSpan[];
}

export interface SourceColumn {
  readonly name: string;
  readonly type: string;
}

async function describe(connection: DuckDBConnection, table: string): Promise<SourceColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${ident(table)}`);
  return reader.getRowObjectsJson().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

function where(location: SqlLocation | undefined, ctx: ShapeContext): string {
  if (location) return `${location.file}:${location.line}:${location.column}: `;
  return ctx.file ? `${ctx.file}: ` : '';
}

function locate(ctx: ShapeContext, column: string): SqlLocation | undefined {
  return ctx.sql !== undefined && ctx.file !== undefined
    ? expressionLocation(ctx.sql, ctx.file, ctx.spans, [column])
    : undefined;
}

/** How the result maps onto output.yaml: each declared column's source column. */
export interface ShapePlan {
  readonly pairs: readonly { readonly spec: OutputColumnSpec; readonly src: SourceColumn }[];
  /** Columns of the result that output.yaml does not declare (dropped). */
  readonly extra: readonly SourceColumn[];
}

/** Matches the result's columns (of `relation`) to output.yaml by name; missing ones fail. */
export async function planShape(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  ctx: ShapeContext,
  relation: string = RAW_TABLE,
): Promise<ShapePlan> {
  const source = await describe(connection, relation);
  const byName = new Map<string, SourceColumn>();
  for (const c of source) if (!byName.has(c.name.toLowerCase())) byName.set(c.name.toLowerCase(), c);
  const missing = output.filter((c) => !byName.has(c.name.toLowerCase())).map((c) => c.name);
  if (missing.length > 0) {
    throw schemaIncompatible(
      'missing_columns',
      `${ctx.file ? `${ctx.file}: ` : ''}the result lacks ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')} of output.yaml (it has ${source.map((c) => c.name).join(', ') || 'no columns'})`,
      { details: { missing, available: source.map((c) => c.name), ...(ctx.file ? { file: ctx.file } : {}) } },
    );
  }
  const pairs = output.map((c) => ({ spec: c, src: byName.get(c.name.toLowerCase()) as SourceColumn }));
  const used = new Set(pairs.map((p) => p.src));
  return { pairs, extra: source.filter((c) => !used.has(c)) };
}

/**
 * The SELECT shaping `relation` to output.yaml. With `evaluateAll`, a filter that is always true
 * reads the dropped columns too, so an error computing one of them still fails the run (as it
 * did when the result was materialised) instead of being optimised away.
 */
export function shapeSelect(plan: ShapePlan, relation: string = RAW_TABLE, evaluateAll = false): string {
  const select = plan.pairs
    .map(
      ({ spec, src }) =>
        `${castTo(ident(src.name), spec.type, isTextType(src.type), true, src.type)} AS ${ident(spec.name)}`,
    )
    .join(', ');
  const all =
    evaluateAll && plan.extra.length > 0
      ? ` WHERE hash(${plan.extra.map((c) => ident(c.name)).join(', ')}) IS NOT NULL`
      : '';
  return `SELECT ${select} FROM ${ident(relation)}${all}`;
}

/** The generic cast failure, when no single column can be blamed. */
export function castFailed(e: unknown, ctx: ShapeContext): Error {
  return schemaIncompatible(
    'cast_failed',
    `${ctx.file ? `${ctx.file}: ` : ''}the result cannot be cast to output.yaml: ${headline((e as Error).message)}`,
    { cause: e },
  );
}

/** Throws for the first declared column of `relation` holding a value that does not cast. */
export async function diagnoseCasts(
  connection: DuckDBConnection,
  plan: ShapePlan,
  ctx: ShapeContext,
  relation: string = RAW_TABLE,
): Promise<void> {
  for (const { spec, src } of plan.pairs) await diagnoseCast(connection, spec, src, ctx, relation);
}

/** Throws SchemaIncompatible naming the column, the types and the first value that does not cast. */
async function diagnoseCast(
  connection: DuckDBConnection,
  spec: OutputColumnSpec,
  src: SourceColumn,
  ctx: ShapeContext,
  relation: string,
): Promise<void> {
  const target = `${formatColumnType(spec.type)} (${duckType(spec.type)})`;
  const location = locate(ctx, spec.name);
  const details = {
    column: spec.name,
    from: src.type,
    to: formatColumnType(spec.type),
    ...(location ? { location } : {}),
  };
  let value: string | null | undefined;
  try {
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${ident(src.name)} AS VARCHAR) AS v FROM ${ident(relation)} WHERE ${ident(src.name)} IS NOT NULL AND ${castTo(ident(src.name), spec.type, isTextType(src.type), false, src.type)} IS NULL LIMIT 1`,
    );
    const rows = reader.getRows();
    if (rows.length === 0) return;
    value = rows[0]?.[0] === null ? null : String(rows[0]?.[0]);
  } catch (e) {
    throw schemaIncompatible(
      'impossible_cast',
      `${where(location, ctx)}column ${spec.name} is ${src.type} and cannot be cast to ${target}: ${headline((e as Error).message)}`,
      { cause: e, details },
    );
  }
  throw schemaIncompatible(
    'cast_failed',
    `${where(location, ctx)}column ${spec.name}: value '${value}' (${src.type}) cannot be cast to ${target}`,
    {
      details: { ...details, value },
    },
  );
}

async function sample(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** NOT NULL (and primary-key) columns without NULLs, else SchemaIncompatible with samples. */
export async function checkNotNull(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  ctx: ShapeContext,
  from: string,
): Promise<void> {
  const required = output.filter((c) => !c.nullable || c.primaryKey);
  if (required.length === 0) return;
  const cond = required.map((c) => `${ident(c.name)} IS NULL`).join(' OR ');
  const rows = await sample(connection, `SELECT * FROM ${from} WHERE ${cond} LIMIT ${SAMPLE_LIMIT}`);
  if (rows.length === 0) return;
  const count = await sample(connection, `SELECT COUNT(*) AS n FROM ${from} WHERE ${cond}`);
  const columns = required.filter((c) => rows.some((r) => r[c.name] === null)).map((c) => c.name);
  const location = columns[0] === undefined ? undefined : locate(ctx, columns[0]);
  throw schemaIncompatible(
    'not_null_violation',
    `${where(location, ctx)}${String(count[0]?.['n'])} row(s) have NULL in NOT NULL column(s) ${columns.join(', ')}`,
    {
      details: { columns, rowCount: Number(count[0]?.['n']), sampleRows: rows, ...(location ? { location } : {}) },
    },
  );
}

/** Primary-key values occur once, else SchemaIncompatible with the most repeated keys. */
export async function checkPrimaryKey(
  connection: DuckDBConnection,
  output: readonly OutputColumnSpec[],
  ctx: ShapeContext,
  from: string,
): Promise<void> {
  const keys = output.filter((c) => c.primaryKey).map((c) => ident(c.name));
  if (keys.length === 0) return;
  const list = keys.join(', ');
  const groups = `SELECT ${list}, COUNT(*) AS occurrences FROM ${from} GROUP BY ${list} HAVING COUNT(*) > 1`;
  const rows = await sample(connection, `${groups} ORDER BY occurrences DESC, ${list} LIMIT ${SAMPLE_LIMIT}`);
  if (rows.length === 0) return;
  const count = await sample(connection, `SELECT COUNT(*) AS n FROM (${groups})`);
  const names = output.filter((c) => c.primaryKey).map((c) => c.name);
  throw schemaIncompatible(
    'primary_key_duplicate',
    `${ctx.file ? `${ctx.file}: ` : ''}${String(count[0]?.['n'])} primary-key value(s) of (${names.join(', ')}) occur more than once, e.g. ${JSON.stringify(rows[0])}`,
    { details: { primaryKey: names, duplicateKeys: Number(count[0]?.['n']), sampleRows: rows } },
  );
}
