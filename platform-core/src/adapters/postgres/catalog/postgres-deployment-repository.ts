import type { Deployment, DeploymentState, NewDeployment } from '../../../domain/catalog/deployment.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { DeploymentFilter, DeploymentRepository } from '../../../ports/catalog.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, one, optString, type TenantContext } from './rows.js';

function deploymentFromRow(row: SqlRow): Deployment {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    productVersionId: String(row['product_version_id']),
    state: row['state'] as DeploymentState,
    deployedBy: optString(row['deployed_by']),
    reason: optString(row['reason']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

export class PostgresDeploymentRepository implements DeploymentRepository {
  constructor(private readonly ctx: TenantContext) {}

  async create(input: NewDeployment): Promise<Deployment> {
    assertId(input.productId, 'productId');
    assertId(input.productVersionId, 'productVersionId');
    return this.ctx.run(async (sql) => {
      await sql.query(
        `UPDATE deployments SET state = 'superseded' WHERE tenant_id = $1 AND product_id = $2 AND state = 'active'`,
        [this.ctx.tenantId, input.productId],
      );
      const { rows } = await sql
        .query(
          `INSERT INTO deployments (tenant_id, product_id, product_version_id, deployed_by, reason)
           VALUES ($1, $2, $3, $4, $5) RETURNING *`,
          [this.ctx.tenantId, input.productId, input.productVersionId, input.deployedBy ?? null, input.reason ?? null],
        )
        .catch(
          conflictOn({
            deployments_one_active_idx: [
              'deployment_race',
              'Another deployment of this product happened at the same time; retry.',
            ],
          }),
        );
      return deploymentFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<Deployment | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM deployments WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        deploymentFromRow,
      ),
    );
  }

  async active(productId: string): Promise<Deployment | undefined> {
    assertId(productId, 'productId');
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query(`SELECT * FROM deployments WHERE tenant_id = $1 AND product_id = $2 AND state = 'active'`, [
            this.ctx.tenantId,
            productId,
          ])
        ).rows,
        deploymentFromRow,
      ),
    );
  }

  async list(page?: PageRequest, filter: DeploymentFilter = {}): Promise<Page<Deployment>> {
    if (filter.productId !== undefined) assertId(filter.productId, 'productId');
    const where = ['tenant_id = $1', ...(filter.productId === undefined ? [] : ['product_id = $2'])];
    const params = [this.ctx.tenantId, ...(filter.productId === undefined ? [] : [filter.productId])];
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, { from: 'deployments', where, params, map: deploymentFromRow }),
    );
  }
}
