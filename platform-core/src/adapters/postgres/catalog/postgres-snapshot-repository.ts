import { invalidState, notFound } from '../../../domain/errors.js';
import type { JsonObject } from '../../../domain/json.js';
import type { NewSnapshot, Snapshot, SnapshotCommit, SnapshotState } from '../../../domain/lake/snapshot.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { SnapshotFilter, SnapshotRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, num, one, optIso, optString, type TenantContext } from './rows.js';

function snapshotFromRow(row: SqlRow): Snapshot {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    productVersionId: optString(row['product_version_id']),
    executionId: optString(row['execution_id']),
    state: row['state'] as SnapshotState,
    windowId: optString(row['window_id']),
    location: String(row['location']),
    rowCount: row['row_count'] === null || row['row_count'] === undefined ? undefined : num(row['row_count']),
    schema: (row['schema'] ?? undefined) as JsonObject | undefined,
    stats: (row['stats'] ?? undefined) as JsonObject | undefined,
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
    committedAt: optIso(row['committed_at']),
    promotedAt: optIso(row['promoted_at']),
  });
}

const VISIBLE = `state IN ('committed', 'promoted') AND committed_at IS NOT NULL`;
const NEWEST = 'ORDER BY committed_at DESC, id DESC';
/** Commit instants strictly increase per product (ms precision), so "newest" never ties. */
const MONOTONIC_COMMIT = `GREATEST(clock_timestamp(), (SELECT MAX(p.committed_at) + interval '1 millisecond'
  FROM snapshots p WHERE p.tenant_id = snapshots.tenant_id AND p.product_id = snapshots.product_id AND p.committed_at IS NOT NULL))`;

export class PostgresSnapshotRepository implements SnapshotRepository {
  constructor(private readonly ctx: TenantContext) {}

  async create(input: NewSnapshot): Promise<Snapshot> {
    assertId(input.id);
    assertId(input.productId, 'productId');
    if (input.productVersionId !== undefined) assertId(input.productVersionId, 'productVersionId');
    if (input.executionId !== undefined) assertId(input.executionId, 'executionId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO snapshots (id, tenant_id, product_id, product_version_id, execution_id, window_id, location)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [
            input.id,
            this.ctx.tenantId,
            input.productId,
            input.productVersionId ?? null,
            input.executionId ?? null,
            input.windowId ?? null,
            input.location,
          ],
        )
        .catch(conflictOn({ snapshots_pkey: ['snapshot_exists', `Snapshot ${input.id} already exists.`] }));
      return snapshotFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<Snapshot | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM snapshots WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        snapshotFromRow,
      ),
    );
  }

  commit(id: string, commit: SnapshotCommit): Promise<Snapshot> {
    return this.#move(
      id,
      ['staged'],
      'committed',
      `committed_at = ${MONOTONIC_COMMIT}, row_count = $5, schema = $6::jsonb, stats = $7::jsonb`,
      [
        commit.rowCount,
        commit.schema === undefined ? null : json(commit.schema),
        commit.stats === undefined ? null : json(commit.stats),
      ],
    );
  }

  promote(id: string): Promise<Snapshot> {
    return this.#move(id, ['committed'], 'promoted', 'promoted_at = now()');
  }

  discard(id: string): Promise<Snapshot> {
    return this.#move(id, ['staged', 'committed'], 'discarded');
  }

  async current(productId: string): Promise<Snapshot | undefined> {
    return (await this.visible(productId, 1))[0];
  }

  async asOf(productId: string, at: string): Promise<Snapshot | undefined> {
    assertId(productId, 'productId');
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query(
            `SELECT * FROM snapshots WHERE tenant_id = $1 AND product_id = $2 AND ${VISIBLE} AND committed_at <= $3::timestamptz ${NEWEST} LIMIT 1`,
            [this.ctx.tenantId, productId, at],
          )
        ).rows,
        snapshotFromRow,
      ),
    );
  }

  async visible(productId: string, limit = 100): Promise<Snapshot[]> {
    assertId(productId, 'productId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        `SELECT * FROM snapshots WHERE tenant_id = $1 AND product_id = $2 AND ${VISIBLE} ${NEWEST} LIMIT $3`,
        [this.ctx.tenantId, productId, Math.max(1, Math.floor(limit))],
      );
      return rows.map(snapshotFromRow);
    });
  }

  async list(page?: PageRequest, filter: SnapshotFilter = {}): Promise<Page<Snapshot>> {
    if (filter.productId !== undefined) assertId(filter.productId, 'productId');
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    if (filter.productId !== undefined) where.push(`product_id = $${params.push(filter.productId)}`);
    if (filter.state !== undefined) where.push(`state = $${params.push(filter.state)}`);
    return this.ctx.run((sql) => pagedSelect(sql, page, { from: 'snapshots', where, params, map: snapshotFromRow }));
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    for (const id of ids) assertId(id);
    return this.ctx.run(async (sql) => {
      await sql.query(
        'UPDATE quality_results SET snapshot_id = NULL WHERE tenant_id = $1 AND snapshot_id = ANY($2::uuid[])',
        [this.ctx.tenantId, [...ids]],
      );
      const { rows } = await sql.query(
        'DELETE FROM snapshots WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING id',
        [this.ctx.tenantId, [...ids]],
      );
      return rows.length;
    });
  }

  async #move(
    id: string,
    from: readonly SnapshotState[],
    to: SnapshotState,
    set = '',
    extra: readonly SqlParam[] = [],
  ): Promise<Snapshot> {
    assertId(id);
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        `UPDATE snapshots SET state = $3${set ? `, ${set}` : ''}
         WHERE tenant_id = $1 AND id = $2 AND state = ANY($4::text[]) RETURNING *`,
        [this.ctx.tenantId, id, to, [...from], ...extra],
      );
      if (rows[0]) return snapshotFromRow(rows[0]);
      const existing = one(
        (await sql.query('SELECT state FROM snapshots WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        (r) => String(r['state']),
      );
      if (existing === undefined) throw notFound('snapshot_not_found', `No snapshot ${id}.`, { details: { id } });
      throw invalidState('invalid_snapshot_transition', `A ${existing} snapshot cannot become ${to}.`, {
        details: { id, from: existing, to },
      });
    });
  }
}
