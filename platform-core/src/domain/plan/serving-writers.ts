import { formatColumnType, type ColumnType } from '../column-type.js';
import type { PlanColumn, ServingWriterPlan } from './product-plan.js';

/** Where each serving endpoint writes, and how, from serving.yaml and output.yaml. */

export interface WriterContext {
  readonly tenant: string | null;
  readonly product: string;
  readonly major: string;
  readonly columns: readonly (PlanColumn & { readonly parsed: ColumnType })[];
}

type Config = Readonly<Record<string, unknown>>;
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

export function postgresType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'text';
    case 'integer':
      return 'bigint';
    case 'float':
      return 'double precision';
    case 'decimal':
      return `numeric(${type.precision},${type.scale})`;
    case 'timestamp':
      return 'timestamptz';
    case 'json':
    case 'map':
      return 'jsonb';
    case 'array':
      return `${postgresType(type.element)}[]`;
    default:
      return type.kind;
  }
}

/** FNV-1a, 32 bits, hex: keeps long names unique after truncation. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A PostgreSQL table name (≤ 63 bytes): `<prefix>_<product>_v<major>`. */
export function servingTable(prefix: string, product: string, major: string): string {
  const name = `${prefix}_${product.replace(/-/g, '_')}_v${major}`;
  return name.length <= 63 ? name : `${name.slice(0, 54)}_${shortHash(name)}`;
}

const pgColumns = (ctx: WriterContext, names?: readonly string[]) =>
  ctx.columns
    .filter((c) => !names || names.includes(c.name))
    .map((c) => ({ name: c.name, type: postgresType(c.parsed), nullable: c.nullable }));

export function servingWriter(type: string, config: Config, ctx: WriterContext): ServingWriterPlan {
  const pk = ctx.columns.filter((c) => c.primary_key).map((c) => c.name);
  switch (type) {
    case 'lookup': {
      const history = typeof config['history_mode'] === 'string' ? config['history_mode'] : 'current';
      const tracked = list(config['tracked_columns']) ?? [];
      const key = list(config['primary_key']) ?? pk;
      return {
        type,
        store: 'postgres',
        table: servingTable('lookup', ctx.product, ctx.major),
        tenant_column: 'tenant_id',
        key: ['tenant_id', ...key],
        columns: pgColumns(ctx),
        indexes: [list(config['index_columns']) ?? key],
        write: history === 'type_2' ? 'close-and-insert on change of tracked columns' : 'upsert by key',
        history_mode: history,
        tracked_columns: tracked,
        history_columns:
          history === 'type_2'
            ? [
                { name: 'valid_from', type: 'timestamptz' },
                { name: 'valid_to', type: 'timestamptz' },
                { name: 'is_current', type: 'boolean' },
              ]
            : history === 'type_3'
              ? tracked.map((c) => ({
                  name: `previous_${c}`,
                  type: postgresType(ctx.columns.find((x) => x.name === c)?.parsed ?? { kind: 'string' }),
                }))
              : [],
      };
    }
    case 'timeseries': {
      const time =
        typeof config['time_column'] === 'string'
          ? config['time_column']
          : (ctx.columns.find((c) => c.parsed.kind === 'timestamp' || c.parsed.kind === 'date')?.name ?? null);
      return {
        type,
        store: 'postgres',
        table: servingTable('timeseries', ctx.product, ctx.major),
        tenant_column: 'tenant_id',
        key: ['tenant_id', ...pk],
        columns: pgColumns(ctx),
        time_column: time,
        granularity: list(config['granularity']) ?? [],
        storage: 'hypertable when TimescaleDB exists, else a table with a BRIN index on the time column',
        write: 'upsert by key',
      };
    }
    case 'realtime': {
      const include = list(config['include_columns']);
      return {
        type,
        store: 'redis',
        key_prefix: `${ctx.tenant ?? '{tenant}'}:${ctx.product}:v${ctx.major}:`,
        key_template: typeof config['key_template'] === 'string' ? config['key_template'] : null,
        ttl: typeof config['ttl'] === 'string' ? config['ttl'] : null,
        columns: (include ?? ctx.columns.map((c) => c.name)).map((name) => ({
          name,
          type: formatColumnType(ctx.columns.find((c) => c.name === name)?.parsed ?? { kind: 'string' }),
        })),
        write: 'pipelined SET with TTL; circuit breaker marks the endpoint degraded when Redis is down',
      };
    }
    default:
      return {
        type,
        store: 'lake',
        path: `tenants/${ctx.tenant ?? '{tenant}'}/products/${ctx.product}/v${ctx.major}/`,
        format: 'parquet',
        write: 'none: the committed snapshot is queried through DuckDB',
      };
  }
}
