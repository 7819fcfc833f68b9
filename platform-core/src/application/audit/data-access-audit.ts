import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../domain/catalog/audit-entry.js';
import { classificationRank, type Classification } from '../../domain/classification.js';
import { isHekimaError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import type { Catalog } from '../../ports/catalog.js';
import { appendAuditRecord } from './append-audit-entry.js';

/** The audit entry type of a read of classified data (`hekima audit --type DataAccessed`). */
export const DATA_ACCESSED = 'DataAccessed';

/** Reads of data classified at or above this level are audited (allowed or denied). */
export const AUDITED_LEVEL: Classification = 'confidential';

export interface DataAccess {
  readonly tenantId: string;
  /** Who read: the local user (or the service principal) as the entry point knows it. */
  readonly actor: string;
  readonly clearance: string | undefined;
  readonly product: string;
  readonly productId: string;
  readonly version: string;
  readonly planHash?: string;
  readonly snapshotId?: string;
  readonly source?: string;
  /** The highest classification among the columns read. */
  readonly level: Classification;
  readonly unmasked: readonly string[];
  readonly masked: readonly string[];
  readonly filters: readonly { readonly column: string; readonly value: string }[];
  readonly sql?: string;
  readonly asOf?: string;
  readonly limit: number;
  readonly rows?: number;
  /** Set when the read was refused or failed. */
  readonly error?: unknown;
}

export { highestLevel } from '../../domain/quality/result-masking.js';

export function mustAudit(level: Classification): boolean {
  return classificationRank(level) >= classificationRank(AUDITED_LEVEL);
}

/**
 * Appends a `DataAccessed` entry to the tenant's hash-chained audit trail: who, with which
 * clearance, which product and snapshot, which columns in clear and which masked, the filters or
 * SQL, and whether it was allowed or denied. The caller writes it BEFORE handing rows out, so a
 * read that cannot be audited returns nothing (fail closed).
 */
export async function auditDataAccess(
  catalog: Catalog,
  access: DataAccess,
  signal?: AbortSignal,
): Promise<AuditEntry | undefined> {
  const error = access.error;
  const outcome =
    error === undefined ? 'allowed' : isHekimaError(error) && error.kind === 'Forbidden' ? 'denied' : 'failed';
  const payload: JsonObject = {
    product: access.product,
    product_id: access.productId,
    version: access.version,
    ...(access.planHash ? { plan_hash: access.planHash } : {}),
    ...(access.snapshotId ? { snapshot_id: access.snapshotId } : {}),
    ...(access.source ? { source: access.source } : {}),
    actor: access.actor,
    clearance: access.clearance ?? null,
    level: access.level,
    outcome,
    columns_unmasked: [...access.unmasked],
    columns_masked: [...access.masked],
    filters: access.filters.map((f) => ({ column: f.column, value: f.value })),
    ...(access.sql !== undefined ? { sql: access.sql } : {}),
    ...(access.asOf !== undefined ? { as_of: access.asOf } : {}),
    limit: access.limit,
    ...(access.rows !== undefined ? { rows: access.rows } : {}),
    ...(error !== undefined
      ? {
          error: isHekimaError(error)
            ? { code: error.code, message: error.message }
            : { code: 'unknown', message: String(error) },
        }
      : {}),
  };
  const record = {
    eventId: randomUUID(),
    eventType: DATA_ACCESSED,
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendAuditRecord(catalog, access.tenantId, record, { actor: access.actor }, signal);
    } catch (e) {
      // Another writer (the audit consumer) took the next seq: the entry is idempotent by id, retry.
      if (attempt >= 5 || !isHekimaError(e) || e.code !== 'audit_chain_contended') throw e;
    }
  }
}
