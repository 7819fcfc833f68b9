import { invalidArgument } from '../../../domain/errors.js';
import type { JsonObject } from '../../../domain/json.js';
import type {
  NewPendingProjection,
  PendingProjection,
  PendingProjectionRepository,
} from '../../../ports/pending-projections.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { assertId, compact, iso, json, num, optString, type TenantContext } from '../catalog/rows.js';

const ENDPOINTS: readonly string[] = ['lookup', 'timeseries', 'realtime'];

function fromRow(row: SqlRow): PendingProjection {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    endpoint: String(row['endpoint']) as PendingProjection['endpoint'],
    product: String(row['product_name']),
    version: String(row['version']),
    snapshotId: String(row['snapshot_id']),
    committedAt: iso(row['committed_at']),
    request: row['request'] as JsonObject,
    attempts: num(row['attempts']),
    lastError: optString(row['last_error']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

function assertEndpoint(endpoint: string): void {
  if (!ENDPOINTS.includes(endpoint))
    throw invalidArgument(
      'invalid_endpoint',
      `A pending projection is for lookup, timeseries or realtime, not "${endpoint}".`,
    );
}

/** Pending serving projections (migration 009), one per tenant, product and endpoint. */
export class PostgresPendingProjectionRepository implements PendingProjectionRepository {
  constructor(private readonly ctx: TenantContext) {}

  async record(input: NewPendingProjection): Promise<PendingProjection | undefined> {
    assertId(input.productId, 'productId');
    assertId(input.snapshotId, 'snapshotId');
    assertEndpoint(input.endpoint);
    return this.ctx.run(async (sql) => {
      // The newest snapshot wins; an older one (a late writer) changes nothing.
      const { rows } = await sql.query(
        `INSERT INTO pending_projections
           (tenant_id, product_id, endpoint, product_name, version, snapshot_id, committed_at, request, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         ON CONFLICT (tenant_id, product_id, endpoint) DO UPDATE
           SET product_name = EXCLUDED.product_name, version = EXCLUDED.version, snapshot_id = EXCLUDED.snapshot_id,
               committed_at = EXCLUDED.committed_at, request = EXCLUDED.request, last_error = EXCLUDED.last_error,
               attempts = CASE WHEN pending_projections.snapshot_id = EXCLUDED.snapshot_id
                               THEN pending_projections.attempts ELSE 0 END
           WHERE pending_projections.tenant_id = $1 AND pending_projections.committed_at <= EXCLUDED.committed_at
         RETURNING *`,
        [
          this.ctx.tenantId,
          input.productId,
          input.endpoint,
          input.product,
          input.version,
          input.snapshotId,
          input.committedAt,
          json(input.request),
          input.lastError ?? null,
        ],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    });
  }

  async list(limit = 100): Promise<PendingProjection[]> {
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        'SELECT * FROM pending_projections WHERE tenant_id = $1 ORDER BY committed_at, id LIMIT $2',
        [this.ctx.tenantId, Math.max(1, Math.min(1000, Math.trunc(limit)))],
      );
      return rows.map(fromRow);
    });
  }

  async clear(productId: string, endpoint: PendingProjection['endpoint'], upTo: string): Promise<boolean> {
    assertId(productId, 'productId');
    assertEndpoint(endpoint);
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        `DELETE FROM pending_projections
         WHERE tenant_id = $1 AND product_id = $2 AND endpoint = $3 AND committed_at <= $4 RETURNING id`,
        [this.ctx.tenantId, productId, endpoint, upTo],
      );
      return rows.length > 0;
    });
  }

  async noteFailure(id: string, error: string): Promise<void> {
    assertId(id);
    await this.ctx.run((sql) =>
      sql.query(
        'UPDATE pending_projections SET attempts = attempts + 1, last_error = $3 WHERE tenant_id = $1 AND id = $2',
        [this.ctx.tenantId, id, error.slice(0, 2000)],
      ),
    );
  }
}
