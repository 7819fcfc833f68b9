import type { ServedRow } from '../../../ports/serving-store.js';
import type { SqlExecutor } from '../../../ports/sql-database.js';
import { previousColumn, q, qualified, type ServingColumn, type TableShape } from './serving-names.js';

/** Rows per statement: one jsonb parameter per batch, unpacked by `jsonb_to_recordset`. */
export const BATCH_ROWS = 1000;

const isComposite = (c: ServingColumn) => c.type.endsWith('[]') || c.type === 'jsonb';

/** The value of column `c` from the recordset row `r` (DuckDB JSON form → the column's type). */
function valueOf(c: ServingColumn): string {
  const v = `r.${q(c.name)}`;
  if (c.type.endsWith('[]')) return `(SELECT array_agg(e) FROM jsonb_array_elements_text(${v}) AS e)::${c.type}`;
  if (c.type === 'jsonb') return `(CASE WHEN jsonb_typeof(${v}) = 'string' THEN (${v} #>> '{}')::jsonb ELSE ${v} END)`;
  // Engine timestamps are UTC without an offset.
  if (c.type === 'timestamptz') return `(${v}::timestamp AT TIME ZONE 'UTC')`;
  return `${v}::${c.type}`;
}

/** `SELECT <typed columns> FROM jsonb_to_recordset($1)`: the batch as a relation named `n`. */
function incoming(shape: TableShape): string {
  const record = shape.columns.map((c) => `${q(c.name)} ${isComposite(c) ? 'jsonb' : 'text'}`).join(', ');
  const values = shape.columns.map((c) => `${valueOf(c)} AS ${q(c.name)}`).join(', ');
  return `n AS (SELECT ${values} FROM jsonb_to_recordset($1::jsonb) AS r(${record}))`;
}

const keyMatch = (shape: TableShape, t = 't') => shape.key.map((k) => `${t}.${q(k)} = n.${q(k)}`).join(' AND ');

/**
 * Writes one batch. $1 rows (jsonb), $2 tenant, $3 snapshot id, $4 committed-at. Every row written
 * or confirmed is stamped with the snapshot id; `retire` then handles keys the snapshot lacks.
 */
export async function writeBatch(
  sql: SqlExecutor,
  shape: TableShape,
  rows: readonly ServedRow[],
  snapshotId: string,
  tenantId: string,
  at: Date,
): Promise<number> {
  const table = qualified(shape);
  const params = [JSON.stringify(rows), tenantId, snapshotId, at];
  const cols = shape.columns.map((c) => q(c.name));
  const nonKey = shape.columns.map((c) => c.name).filter((n) => !shape.key.includes(n));
  if (shape.history === 'type_2') {
    const changed = shape.tracked.map((c) => `t.${q(c)} IS DISTINCT FROM n.${q(c)}`).join(' OR ') || 'false';
    await sql.query(
      `WITH ${incoming(shape)} UPDATE ${table} AS t SET valid_to = $4::timestamptz, is_current = false FROM n
       WHERE t.tenant_id = $2::uuid AND t.is_current AND ${keyMatch(shape)} AND (${changed}) AND $3::uuid IS NOT NULL`,
      params,
    );
    const untracked = nonKey.filter((n) => !shape.tracked.includes(n));
    await sql.query(
      `WITH ${incoming(shape)} UPDATE ${table} AS t SET ${[...untracked.map((c) => `${q(c)} = n.${q(c)}`), 'hekima_snapshot_id = $3::uuid'].join(', ')}
       FROM n WHERE t.tenant_id = $2::uuid AND t.is_current AND ${keyMatch(shape)} AND $4::timestamptz IS NOT NULL`,
      params,
    );
    const inserted = await sql.query(
      `WITH ${incoming(shape)} INSERT INTO ${table} AS t (tenant_id, ${cols.join(', ')}, valid_from, valid_to, is_current, hekima_snapshot_id)
       SELECT $2::uuid, ${cols.map((c) => `n.${c}`).join(', ')}, $4::timestamptz, NULL, true, $3::uuid FROM n
       WHERE NOT EXISTS (SELECT 1 FROM ${table} AS t WHERE t.tenant_id = $2::uuid AND t.is_current AND ${keyMatch(shape)})`,
      params,
    );
    return inserted.rowCount;
  }
  const previous = shape.history === 'type_3' ? shape.tracked : [];
  const set = [
    ...nonKey.map((c) => `${q(c)} = EXCLUDED.${q(c)}`),
    ...previous.map(
      (c) =>
        `${previousColumn(c)} = CASE WHEN t.${q(c)} IS DISTINCT FROM EXCLUDED.${q(c)} THEN t.${q(c)} ELSE t.${previousColumn(c)} END`,
    ),
    'hekima_snapshot_id = EXCLUDED.hekima_snapshot_id',
  ];
  const result = await sql.query(
    `WITH ${incoming(shape)} INSERT INTO ${table} AS t (tenant_id, ${cols.join(', ')}, hekima_snapshot_id)
     SELECT $2::uuid, ${cols.map((c) => `n.${c}`).join(', ')}, $3::uuid FROM n WHERE $4::timestamptz IS NOT NULL
     ON CONFLICT (tenant_id, ${shape.key.map(q).join(', ')}) DO UPDATE SET ${set.join(', ')}`,
    params,
  );
  return result.rowCount;
}

/**
 * Keys absent from the snapshot: `current`/`type_3` delete them (the table mirrors the snapshot);
 * `type_2` closes their current row (history kept); timeseries keeps them (a series accumulates).
 */
export async function retire(
  sql: SqlExecutor,
  shape: TableShape,
  snapshotId: string,
  tenantId: string,
  at: Date,
): Promise<number> {
  const table = qualified(shape);
  if (shape.timeColumn !== null) return 0;
  if (shape.history === 'type_2') {
    const r = await sql.query(
      `UPDATE ${table} SET valid_to = $3::timestamptz, is_current = false
       WHERE tenant_id = $1::uuid AND is_current AND hekima_snapshot_id <> $2::uuid`,
      [tenantId, snapshotId, at],
    );
    return r.rowCount;
  }
  const r = await sql.query(`DELETE FROM ${table} WHERE tenant_id = $1::uuid AND hekima_snapshot_id <> $2::uuid`, [
    tenantId,
    snapshotId,
  ]);
  return r.rowCount;
}
