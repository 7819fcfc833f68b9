import { throwIfAborted } from '../../../domain/errors.js';
import type { SqlDatabase, SqlExecutor } from '../../../ports/sql-database.js';

/** What one pruning sweep did. */
export interface Pruned {
  readonly deleted: number;
  /** True when the sweep stopped at `maxRowsPerSweep` with old rows left (the next sweep goes on). */
  readonly more: boolean;
}

export interface PruneLimits {
  /** Rows deleted per transaction. */
  readonly batchSize: number;
  /** Rows deleted per sweep at most, all tenants together. */
  readonly maxRowsPerSweep: number;
}

/**
 * The loop both event retentions share: tenant by tenant, as the tenant (row-level security
 * applies), `deleteBatch` deletes at most `budget` rows in its own short transaction and says how
 * many; a tenant is done when a batch comes back short, the sweep when `maxRowsPerSweep` is
 * reached. Only the tenant list is read on the admin path; `only` limits the sweep to these
 * tenants.
 */
export async function pruneInBatches(
  db: SqlDatabase,
  limits: PruneLimits,
  what: string,
  deleteBatch: (sql: SqlExecutor, tenantId: string, budget: number) => Promise<number>,
  signal?: AbortSignal,
  only?: readonly string[],
): Promise<Pruned> {
  const tenants =
    only ??
    (await db.admin.transaction(
      async (sql) => (await sql.query('SELECT id FROM tenants ORDER BY id')).rows.map((r) => String(r['id'])),
      signal,
    ));
  let deleted = 0;
  for (const tenantId of tenants) {
    for (;;) {
      throwIfAborted(signal, what);
      const budget = Math.min(limits.batchSize, limits.maxRowsPerSweep - deleted);
      if (budget <= 0) return { deleted, more: true };
      const n = await db.withTenant(tenantId, (sql) => deleteBatch(sql, tenantId, budget), signal);
      deleted += n;
      if (n < budget) break;
    }
  }
  return { deleted, more: false };
}
