import type { Correlation, CorrelationState, InputState } from '../../../domain/orchestration/correlation.js';
import type { ConsumerSpec, DeployedProduct } from '../../../domain/orchestration/subscription-map.js';
import type { JsonObject } from '../../../domain/json.js';
import type {
  CachedSnapshot,
  CorrelationKey,
  CorrelationStore,
  CorrelationTx,
} from '../../../ports/correlation-store.js';
import type { SqlDatabase, SqlExecutor, SqlRow } from '../../../ports/sql-database.js';
import { assertId, compact, iso, json, optIso, optString } from '../catalog/rows.js';

function correlationFromRow(row: SqlRow): Correlation {
  return compact({
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    windowId: String(row['window_id']),
    state: row['state'] as CorrelationState,
    consumer: row['consumer'] as ConsumerSpec,
    inputs: (row['inputs'] ?? {}) as Record<string, InputState>,
    openedAt: iso(row['opened_at']),
    deadlineAt: optIso(row['deadline_at']),
    reason: optString(row['reason']),
    executionId: optString(row['execution_id']),
  });
}

/**
 * Correlation state in the catalog database (`correlations`, `correlation_events`; migration 007).
 * `withProduct` is a tenant transaction (RLS) holding a transaction-scoped advisory lock on the
 * product, so concurrent consumers of one product's events apply their changes one at a time.
 */
export class PostgresCorrelationStore implements CorrelationStore {
  constructor(private readonly db: SqlDatabase) {}

  withProduct<T>(
    tenantId: string,
    productId: string,
    fn: (tx: CorrelationTx) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    assertId(productId, 'productId');
    return this.db.withTenant(
      tenantId,
      async (sql) => {
        await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `hekima.correlation.${tenantId}.${productId}`,
        ]);
        return fn(this.#tx(sql, tenantId, productId));
      },
      signal,
    );
  }

  due(now: Date, limit: number, signal?: AbortSignal): Promise<CorrelationKey[]> {
    return this.db.admin.transaction(async (sql) => {
      const { rows } = await sql.query(
        `(SELECT tenant_id, product_id, window_id FROM correlations WHERE state = 'open' AND deadline_at <= $1::timestamptz ORDER BY deadline_at LIMIT $2)
         UNION ALL
         (SELECT tenant_id, product_id, window_id FROM correlations WHERE state = 'complete' ORDER BY updated_at LIMIT $2)`,
        [now.toISOString(), limit],
      );
      return rows.map((r) => ({
        tenantId: String(r['tenant_id']),
        productId: String(r['product_id']),
        windowId: String(r['window_id']),
      }));
    }, signal);
  }

  deployedProducts(tenantId: string, signal?: AbortSignal): Promise<DeployedProduct[]> {
    return this.db.withTenant(
      tenantId,
      async (sql) => {
        const { rows } = await sql.query(
          `SELECT d.id AS deployment_id, p.id AS product_id, p.name, v.id AS version_id,
                  CASE WHEN pp.plan IS NULL THEN v.manifests ELSE jsonb_build_object('plan', pp.plan) END AS manifests
           FROM deployments d
           JOIN products p ON p.tenant_id = d.tenant_id AND p.id = d.product_id
           JOIN product_versions v ON v.tenant_id = d.tenant_id AND v.id = d.product_version_id
           LEFT JOIN product_plans pp
             ON pp.tenant_id = d.tenant_id AND pp.product_id = d.product_id AND pp.plan_hash = d.plan_hash
           WHERE d.tenant_id = $1 AND d.state = 'active'
           ORDER BY p.name`,
          [tenantId],
        );
        return rows.map((r) => ({
          productId: String(r['product_id']),
          productName: String(r['name']),
          productVersionId: String(r['version_id']),
          deploymentId: String(r['deployment_id']),
          manifests: (r['manifests'] ?? {}) as JsonObject,
        }));
      },
      signal,
    );
  }

  #tx(sql: SqlExecutor, tenantId: string, productId: string): CorrelationTx {
    const select = async (where: string, params: readonly string[] = []) =>
      (
        await sql.query(
          `SELECT * FROM correlations WHERE tenant_id = $1 AND product_id = $2 AND ${where} ORDER BY opened_at, window_id`,
          [tenantId, productId, ...params],
        )
      ).rows.map(correlationFromRow);
    return {
      markSeen: async (eventId) =>
        (
          await sql.query(
            `INSERT INTO correlation_events (tenant_id, product_id, event_id) VALUES ($1, $2, $3)
             ON CONFLICT ON CONSTRAINT correlation_events_key DO NOTHING RETURNING id`,
            [tenantId, productId, eventId],
          )
        ).rowCount === 1,
      get: async (windowId) => (await select('window_id = $3', [windowId]))[0],
      open: () => select(`state = 'open'`),
      lastRound: async () => {
        const { rows } = await sql.query(
          `SELECT COALESCE(max(substring(window_id FROM 8)::int), 0) AS n FROM correlations
           WHERE tenant_id = $1 AND product_id = $2 AND window_id ~ '^latest-[0-9]+$'`,
          [tenantId, productId],
        );
        return Number(rows[0]?.['n'] ?? 0);
      },
      save: async (c) => {
        await sql.query(
          `INSERT INTO correlations (tenant_id, product_id, window_id, state, consumer, inputs, opened_at, deadline_at, reason, execution_id)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::timestamptz, $8::timestamptz, $9, $10)
           ON CONFLICT ON CONSTRAINT correlations_window_key DO UPDATE SET state = EXCLUDED.state, consumer = EXCLUDED.consumer,
             inputs = EXCLUDED.inputs, deadline_at = EXCLUDED.deadline_at, reason = EXCLUDED.reason, execution_id = EXCLUDED.execution_id`,
          [
            tenantId,
            productId,
            c.windowId,
            c.state,
            json(c.consumer),
            json(c.inputs),
            c.openedAt,
            c.deadlineAt ?? null,
            c.reason ?? null,
            c.executionId ?? null,
          ],
        );
      },
      lastCommittedSnapshot: async (productName): Promise<CachedSnapshot | undefined> => {
        const { rows } = await sql.query(
          `SELECT s.id, s.window_id, s.committed_at FROM snapshots s
           JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
           WHERE s.tenant_id = $1 AND p.name = $2 AND s.state IN ('committed', 'promoted') AND s.committed_at IS NOT NULL
           ORDER BY s.committed_at DESC, s.id DESC LIMIT 1`,
          [tenantId, productName],
        );
        const row = rows[0];
        return row
          ? compact({
              snapshotId: String(row['id']),
              windowId: optString(row['window_id']),
              committedAt: iso(row['committed_at']),
            })
          : undefined;
      },
    };
  }
}
