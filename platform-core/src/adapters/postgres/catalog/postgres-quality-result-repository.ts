import type { JsonValue } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type {
  CheckSeverity,
  CheckStatus,
  NewQualityResult,
  QualityResult,
  SampleRow,
} from '../../../domain/quality/quality-result.js';
import type { ResultClassification } from '../../../domain/quality/result-masking.js';
import type { QualityResultFilter, QualityResultRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, iso, json, optString, type TenantContext } from './rows.js';

/**
 * `observed` holds what the table has no column for: type, measured, threshold, message, ordinal,
 * and the classification the values carry (readers are masked per it).
 */
interface Observed {
  readonly type: string;
  readonly measured: JsonValue;
  readonly threshold: JsonValue;
  readonly message: string;
  readonly ordinal: number;
  readonly classification?: ResultClassification;
}

function resultFromRow(row: SqlRow): QualityResult {
  const observed = (row['observed'] ?? {}) as Partial<Observed>;
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    executionId: optString(row['execution_id']),
    snapshotId: optString(row['snapshot_id']),
    name: String(row['check_name']),
    type: observed.type ?? 'unknown',
    severity: row['severity'] as CheckSeverity,
    blocking: row['blocking'] === true,
    status: row['status'] as CheckStatus,
    measured: observed.measured ?? null,
    threshold: observed.threshold ?? null,
    message: observed.message ?? '',
    samples: (row['sample'] ?? []) as SampleRow[],
    classification: observed.classification,
    createdAt: iso(row['created_at']),
  });
}

export class PostgresQualityResultRepository implements QualityResultRepository {
  constructor(private readonly ctx: TenantContext) {}

  async record(results: readonly NewQualityResult[]): Promise<QualityResult[]> {
    for (const r of results) {
      assertId(r.productId, 'productId');
      if (r.executionId !== undefined) assertId(r.executionId, 'executionId');
      if (r.snapshotId !== undefined) assertId(r.snapshotId, 'snapshotId');
    }
    return this.ctx.run(async (sql) => {
      const out: QualityResult[] = [];
      for (const [ordinal, r] of results.entries()) {
        const observed: Observed = {
          type: r.type,
          measured: r.measured,
          threshold: r.threshold,
          message: r.message,
          ordinal,
          // JSON drops a column without its own level: read back, it takes the product's level again.
          ...(r.classification ? { classification: r.classification } : {}),
        };
        const { rows } = await sql.query(
          `INSERT INTO quality_results (tenant_id, product_id, execution_id, snapshot_id, check_name, severity, blocking, status, observed, sample)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb) RETURNING *`,
          [
            this.ctx.tenantId,
            r.productId,
            r.executionId ?? null,
            r.snapshotId ?? null,
            r.name,
            r.severity,
            r.blocking,
            r.status,
            json(observed),
            json(r.samples),
          ],
        );
        out.push(resultFromRow(rows[0]!));
      }
      return out;
    });
  }

  async ofExecution(executionId: string): Promise<QualityResult[]> {
    assertId(executionId, 'executionId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        `SELECT * FROM quality_results WHERE tenant_id = $1 AND execution_id = $2
         ORDER BY created_at, (observed->>'ordinal')::int NULLS LAST, id`,
        [this.ctx.tenantId, executionId],
      );
      return rows.map(resultFromRow);
    });
  }

  async list(page?: PageRequest, filter: QualityResultFilter = {}): Promise<Page<QualityResult>> {
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    for (const [key, column] of [
      ['productId', 'product_id'],
      ['executionId', 'execution_id'],
      ['snapshotId', 'snapshot_id'],
    ] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      assertId(value, key);
      where.push(`${column} = $${params.push(value)}`);
    }
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, { from: 'quality_results', where, params, map: resultFromRow }),
    );
  }
}
