import { notFound } from '../../../domain/errors.js';
import type { Catalog, TenantCatalog } from '../../../ports/catalog.js';
import type { SecretCipher } from '../../../ports/secret-cipher.js';
import type { SqlDatabase, SqlExecutor } from '../../../ports/sql-database.js';
import { PostgresAuditRepository } from './postgres-audit-repository.js';
import { PostgresConnectionRepository } from './postgres-connection-repository.js';
import { PostgresConnectorStateRepository } from './postgres-connector-state-repository.js';
import { PostgresPendingProjectionRepository } from '../serving/postgres-pending-projection-repository.js';
import { PostgresDeploymentRepository } from './postgres-deployment-repository.js';
import { PostgresDlqRepository } from './postgres-dlq-repository.js';
import { PostgresEventRepository } from './postgres-event-repository.js';
import { PostgresExecutionRepository } from './postgres-execution-repository.js';
import { PostgresProductRepository } from './postgres-product-repository.js';
import { PostgresQualityResultRepository } from './postgres-quality-result-repository.js';
import { PostgresSnapshotRepository } from './postgres-snapshot-repository.js';
import { PostgresTeamRepository } from './postgres-team-repository.js';
import { PostgresTenantRepository, tenantFromRow } from './postgres-tenant-repository.js';
import { assertId, one, type TenantContext } from './rows.js';

/**
 * The catalog over a SqlDatabase (PGlite or PostgreSQL: the same code). Tenant repositories run
 * through `withTenant` — as the app role, under RLS — and also filter by tenant_id themselves.
 * The database must be migrated (`migrate`) before use; `close()` closes it.
 */
export class PostgresCatalog implements Catalog {
  readonly tenants: PostgresTenantRepository;

  constructor(
    readonly db: SqlDatabase,
    private readonly cipher: SecretCipher,
  ) {
    this.tenants = new PostgresTenantRepository(db);
  }

  forTenant(tenantId: string, signal?: AbortSignal): TenantCatalog {
    assertId(tenantId, 'tenantId');
    return this.#scope({ tenantId, run: (work) => this.db.withTenant(tenantId, work, signal) });
  }

  transaction<T>(tenantId: string, fn: (tx: TenantCatalog) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.db.withTenant(tenantId, (sql) => fn(this.#scope({ tenantId, run: (work) => work(sql) })), signal);
  }

  /**
   * The tenant's repositories over a transaction that is already open (`withTenant`, or the admin
   * path of cross-tenant infrastructure such as execution claims): calls run in it, commit or roll
   * back with it. Valid only while that transaction's callback runs.
   */
  within(tenantId: string, sql: SqlExecutor): TenantCatalog {
    assertId(tenantId, 'tenantId');
    return this.#scope({ tenantId, run: (work) => work(sql) });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  #scope(ctx: TenantContext): TenantCatalog {
    return {
      tenantId: ctx.tenantId,
      tenant: () =>
        ctx.run(async (sql) => {
          const tenant = one(
            (await sql.query('SELECT * FROM tenants WHERE id = $1', [ctx.tenantId])).rows,
            tenantFromRow,
          );
          if (!tenant)
            throw notFound('tenant_not_found', `No tenant with id ${ctx.tenantId}.`, {
              details: { tenantId: ctx.tenantId },
            });
          return tenant;
        }),
      teams: new PostgresTeamRepository(ctx),
      connections: new PostgresConnectionRepository(ctx, this.cipher),
      products: new PostgresProductRepository(ctx),
      deployments: new PostgresDeploymentRepository(ctx),
      executions: new PostgresExecutionRepository(ctx),
      events: new PostgresEventRepository(ctx),
      dlq: new PostgresDlqRepository(ctx),
      audit: new PostgresAuditRepository(ctx),
      snapshots: new PostgresSnapshotRepository(ctx),
      qualityResults: new PostgresQualityResultRepository(ctx),
      connectorStates: new PostgresConnectorStateRepository(ctx),
      pendingProjections: new PostgresPendingProjectionRepository(ctx),
    };
  }
}
