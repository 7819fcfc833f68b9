import {
  assertDeploymentPlan,
  type Deployment,
  type DeploymentPlan,
  type DeploymentState,
  type NewDeployment,
} from '../../../domain/catalog/deployment.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { DeploymentFilter, DeploymentRepository } from '../../../ports/catalog.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, one, optString, type TenantContext } from './rows.js';

function planFromRow(row: SqlRow): DeploymentPlan {
  return {
    productId: String(row['product_id']),
    hash: String(row['plan_hash']),
    plan: row['plan'] as JsonObject,
    createdAt: iso(row['created_at']),
  };
}

function deploymentFromRow(row: SqlRow): Deployment {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    productVersionId: String(row['product_version_id']),
    state: row['state'] as DeploymentState,
    deployedBy: optString(row['deployed_by']),
    reason: optString(row['reason']),
    planHash: optString(row['plan_hash']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

export class PostgresDeploymentRepository implements DeploymentRepository {
  constructor(private readonly ctx: TenantContext) {}

  async create(input: NewDeployment): Promise<Deployment> {
    assertId(input.productId, 'productId');
    assertId(input.productVersionId, 'productVersionId');
    if (input.plan) assertDeploymentPlan(input.plan);
    return this.ctx.run(async (sql) => {
      if (input.plan)
        // Once per hash: a plan deployed before (a rollback, a re-deploy) is not stored again.
        await sql.query(
          `INSERT INTO product_plans (tenant_id, product_id, plan_hash, plan) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT ON CONSTRAINT product_plans_hash_key DO NOTHING`,
          [this.ctx.tenantId, input.productId, input.plan.hash, json(input.plan.plan)],
        );
      await sql.query(
        `UPDATE deployments SET state = 'superseded' WHERE tenant_id = $1 AND product_id = $2 AND state = 'active'`,
        [this.ctx.tenantId, input.productId],
      );
      const { rows } = await sql
        .query(
          `INSERT INTO deployments (tenant_id, product_id, product_version_id, deployed_by, reason, plan_hash)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [
            this.ctx.tenantId,
            input.productId,
            input.productVersionId,
            input.deployedBy ?? null,
            input.reason ?? null,
            input.plan?.hash ?? null,
          ],
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

  async plan(productId: string, planHash: string): Promise<DeploymentPlan | undefined> {
    assertId(productId, 'productId');
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query(`SELECT * FROM product_plans WHERE tenant_id = $1 AND product_id = $2 AND plan_hash = $3`, [
            this.ctx.tenantId,
            productId,
            planHash,
          ])
        ).rows,
        planFromRow,
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
