import { forbidden, invalidArgument, throwIfAborted } from '../../../domain/errors.js';
import type { JsonValue } from '../../../domain/json.js';
import { MASKED } from '../../../domain/quality/masking.js';
import type {
  ProjectionRequest,
  ProjectionResult,
  ServedReadRequest,
  ServedRows,
  ServingStore,
} from '../../../ports/serving-store.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { ensureServingTable } from './serving-ddl.js';
import { previousColumn, q, qualified, servingSchemaName, tableShape, type TableShape } from './serving-names.js';
import { BATCH_ROWS, retire, writeBatch } from './serving-writes.js';

/**
 * `lookup` and `timeseries` endpoints: one PostgreSQL table per product and major version in the
 * serving schema (`<catalog schema>_serving`) of the catalog's database, with `tenant_id` and
 * forced RLS. A projection is ONE tenant transaction (readers switch from the previous snapshot
 * to the new one at once), fed batch by batch from the snapshot's row source; the table is
 * created or widened first on the admin path.
 */
export class PostgresServingStore implements ServingStore {
  readonly #ensured = new Map<string, 'hypertable' | 'brin' | undefined>();

  constructor(
    private readonly db: SqlDatabase,
    readonly endpoint: 'lookup' | 'timeseries',
  ) {}

  get schema(): string {
    return servingSchemaName(this.db.schema);
  }

  async project(request: ProjectionRequest, signal?: AbortSignal): Promise<ProjectionResult> {
    const shape = tableShape(this.schema, request.writer);
    const storage = await this.#ensure(shape, signal);
    const { written, retired } = await this.db.withTenant(
      request.tenantId,
      async (sql) => {
        // One projection per tenant and table at a time (two workers must not interleave retires).
        await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `hekima.serve.${shape.schema}.${shape.table}.${request.tenantId}`,
        ]);
        let written = 0;
        // The snapshot streams in while the transaction is open: one batch in memory at a time.
        for await (const rows of request.rows.batches(signal)) {
          for (let i = 0; i < rows.length; i += BATCH_ROWS) {
            throwIfAborted(signal, 'a serving projection');
            const batch = rows.slice(i, i + BATCH_ROWS);
            written += await writeBatch(sql, shape, batch, request.snapshotId, request.tenantId, request.committedAt);
          }
        }
        return {
          written,
          retired: await retire(sql, shape, request.snapshotId, request.tenantId, request.committedAt),
        };
      },
      signal,
    );
    return {
      endpoint: this.endpoint,
      status: 'served',
      written,
      retired,
      target: `${shape.schema}.${shape.table}`,
      ...(storage ? { storage } : {}),
    };
  }

  async read(request: ServedReadRequest, signal?: AbortSignal): Promise<ServedRows> {
    const shape = tableShape(this.schema, request.writer);
    const filterable = new Set([
      ...shape.key,
      ...shape.indexes.flat(),
      ...(shape.timeColumn ? [shape.timeColumn] : []),
    ]);
    const params: (string | number)[] = [request.tenantId];
    const where = ['tenant_id = $1::uuid', ...(shape.history === 'type_2' ? ['is_current'] : [])];
    for (const f of request.filters) {
      const column = shape.columns.find((c) => c.name === f.column);
      if (!column) throw invalidArgument('unknown_filter_column', `No column "${f.column}" in ${request.product}.`);
      if (request.masked.includes(f.column))
        throw forbidden(
          'filter_on_masked_column',
          `Your clearance does not let you read "${f.column}", so you cannot filter on it.`,
        );
      if (!filterable.has(f.column))
        throw invalidArgument(
          'filter_not_indexed',
          `"${f.column}" is not an indexed column of the ${this.endpoint} endpoint (indexed: ${[...filterable].join(', ')}).`,
        );
      params.push(f.value);
      where.push(`${q(f.column)} = $${params.length}::${column.type.replace(/\(.*\)/, '')}`);
    }
    params.push(request.limit);
    const exclude = ["'tenant_id'", "'hekima_snapshot_id'"].join(' - ');
    // Exact numbers as text (as the lake's JSON form has them): a JSON number would lose the scale.
    const exact = shape.columns.filter((c) => /^(bigint|numeric)/.test(c.type) && !c.type.endsWith('[]'));
    const asText = chunks(exact, 40)
      .map((group) => ` || jsonb_build_object(${group.map((c) => `'${c.name}', t.${q(c.name)}::text`).join(', ')})`)
      .join('');
    // Masked columns are replaced IN the query (last, so they win): their values never leave the database.
    // A type_3 table's previous_<col> holds an earlier value of <col>: masked with it.
    const hidden = shape.columns
      .filter((c) => request.masked.includes(c.name))
      .flatMap((c) => [
        { key: c.name, column: q(c.name) },
        ...(shape.history === 'type_3' && shape.tracked.includes(c.name)
          ? [{ key: previousColumn(c.name).slice(1, -1), column: previousColumn(c.name) }]
          : []),
      ]);
    const masks = chunks(hidden, 40)
      .map(
        (group) =>
          ` || jsonb_build_object(${group
            .map((c) => `'${c.key}', CASE WHEN t.${c.column} IS NULL THEN NULL ELSE ${MASKED_SQL} END`)
            .join(', ')})`,
      )
      .join('');
    const rows = await this.db.withTenant(
      request.tenantId,
      async (sql) => {
        await sql.query(`SELECT set_config('TimeZone', 'UTC', true)`);
        const result = await sql.query<{ row: Record<string, JsonValue> }>(
          `SELECT (to_jsonb(t) - ${exclude})${asText}${masks} AS row FROM ${qualified(shape)} AS t WHERE ${where.join(' AND ')}
           ORDER BY ${shape.key.map(q).join(', ')} LIMIT $${params.length}`,
          params,
        );
        const order = [...shape.columns.map((c) => c.name), 'valid_from', 'valid_to', 'is_current'];
        return result.rows.map((r) => ordered(r.row, order));
      },
      signal,
    );
    const columns = rows[0] ? Object.keys(rows[0]) : this.#columnsOf(shape);
    return { columns, rows };
  }

  #columnsOf(shape: TableShape): string[] {
    return shape.columns.map((c) => c.name);
  }

  async #ensure(shape: TableShape, signal?: AbortSignal): Promise<'hypertable' | 'brin' | undefined> {
    const id = JSON.stringify(shape);
    if (this.#ensured.has(id)) return this.#ensured.get(id);
    const storage = await this.db.admin.transaction(
      (sql) => ensureServingTable(sql, shape, { catalogSchema: this.db.schema, appRole: this.db.appRole }),
      signal,
    );
    this.#ensured.set(id, storage);
    return storage;
  }
}

/** The masked cell as an SQL text literal. */
const MASKED_SQL = `'${MASKED.replaceAll("'", "''")}'::text`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** to_jsonb sorts keys; put the output columns first, in schema order. */
function ordered(row: Record<string, JsonValue>, order: readonly string[]): Record<string, JsonValue> {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1)));
}
