import { invalidArgument } from '../../../domain/errors.js';
import type { ServingWriterPlan } from '../../../domain/plan/product-plan.js';
import { quoteIdentifier } from '../sql-identifiers.js';

/** FNV-1a, 32 bits, hex: keeps truncated names unique. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A PostgreSQL name of at most 63 bytes (longer ones: 54 characters, `_`, an 8-hex hash), quoted. */
export function boundedIdentifier(name: string, what = 'identifier'): string {
  const bounded = name.length <= 63 ? name : `${name.slice(0, 54)}_${shortHash(name)}`;
  return quoteIdentifier(bounded, what);
}

/** The serving schema beside a catalog schema: `<catalog>_serving`. */
export function servingSchemaName(catalogSchema: string): string {
  const name = `${catalogSchema}_serving`;
  quoteIdentifier(name, 'serving schema');
  return name;
}

const PG_TYPE =
  /^(text|bigint|double precision|numeric\(\d{1,4},\d{1,4}\)|boolean|date|timestamptz|uuid|jsonb)(\[\])*$/;

export interface ServingColumn {
  readonly name: string;
  /** The PostgreSQL type (validated). */
  readonly type: string;
  readonly nullable: boolean;
}

/** The parts of a postgres writer the store needs, validated (a plan may come from a file). */
export interface TableShape {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly ServingColumn[];
  /** The upsert key (without tenant_id). */
  readonly key: readonly string[];
  readonly indexes: readonly (readonly string[])[];
  readonly history: 'current' | 'type_2' | 'type_3';
  readonly tracked: readonly string[];
  readonly timeColumn: string | null;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function tableShape(schema: string, writer: ServingWriterPlan): TableShape {
  const table = writer['table'];
  if (typeof table !== 'string') throw invalidArgument('invalid_serving_writer', 'The serving writer names no table.');
  quoteIdentifier(table, 'serving table');
  const columns = (Array.isArray(writer['columns']) ? writer['columns'] : []).map((c: unknown): ServingColumn => {
    const { name, type, nullable } = (c ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof type !== 'string' || !PG_TYPE.test(type))
      throw invalidArgument(
        'invalid_serving_writer',
        `Serving column ${JSON.stringify(c)} has no valid name and type.`,
      );
    quoteIdentifier(name, 'column name');
    return { name, type, nullable: nullable !== false };
  });
  const names = new Set(columns.map((c) => c.name));
  const known = (list: string[], what: string) => {
    const unknown = list.filter((n) => !names.has(n));
    if (unknown.length > 0)
      throw invalidArgument('invalid_serving_writer', `${what} names unknown columns: ${unknown.join(', ')}.`);
    return list;
  };
  const key = known(
    strings(writer['key']).filter((k) => k !== 'tenant_id'),
    'The serving key',
  );
  if (key.length === 0) throw invalidArgument('invalid_serving_writer', `Serving table ${table} has no key column.`);
  const mode = writer['history_mode'];
  const history = mode === 'type_2' || mode === 'type_3' ? mode : 'current';
  const tracked = known(strings(writer['tracked_columns']), 'tracked_columns');
  const time = typeof writer['time_column'] === 'string' ? writer['time_column'] : null;
  if (time !== null) known([time], 'time_column');
  const indexes = (Array.isArray(writer['indexes']) ? writer['indexes'] : []).map((i) =>
    known(strings(i), 'index_columns'),
  );
  return {
    schema,
    table,
    columns,
    key: time !== null && !key.includes(time) ? [...key, time] : key,
    indexes: indexes.filter((i) => i.length > 0),
    history,
    tracked:
      history !== 'current' && tracked.length === 0
        ? columns.map((c) => c.name).filter((n) => !key.includes(n))
        : tracked,
    timeColumn: time,
  };
}

export const q = (name: string): string => quoteIdentifier(name, 'column name');
export const previousColumn = (column: string): string => boundedIdentifier(`previous_${column}`, 'column name');
export const qualified = (shape: TableShape): string =>
  `${quoteIdentifier(shape.schema)}.${quoteIdentifier(shape.table)}`;
