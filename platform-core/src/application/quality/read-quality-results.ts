import type { QualityResult } from '../../domain/quality/quality-result.js';
import {
  highestLevel,
  maskOutcome,
  UNKNOWN_CLASSIFICATION,
  type MaskedOutcome,
} from '../../domain/quality/result-masking.js';
import type { Catalog } from '../../ports/catalog.js';
import { auditDataAccess, mustAudit } from '../audit/data-access-audit.js';

export interface QualityReader {
  readonly tenantId: string;
  /** The reader's clearance; unknown or absent reads only `public` values (fail closed). */
  readonly clearance: string | undefined;
  /** Who reads (recorded in the audit trail for confidential and restricted values). */
  readonly actor: string;
  /** What the read is for, in the audit entry (e.g. `executions`, `executions show`). */
  readonly source: string;
}

/** Stored check results as one reader may see them. */
export interface ReadQualityResults {
  readonly results: readonly QualityResult[];
  /** `check.column` (or `check.measured` / `check.message`) hidden from this reader. */
  readonly masked: readonly string[];
}

/**
 * The read boundary of stored quality results (samples, measured values, messages): each result
 * is masked per the reader's clearance against the classification stored with it (a result stored
 * without one counts as restricted). A read that returns values classified confidential or above,
 * in clear or masked, is written to the tenant's audit trail (`DataAccessed`, one entry per
 * product) BEFORE the results are handed out: a read that cannot be audited returns nothing.
 */
export async function readQualityResults(
  catalog: Catalog,
  reader: QualityReader,
  stored: readonly QualityResult[],
  signal?: AbortSignal,
): Promise<ReadQualityResults> {
  const masked: MaskedOutcome<QualityResult>[] = stored.map((r) =>
    maskOutcome(r, r.classification ?? UNKNOWN_CLASSIFICATION, reader.clearance),
  );
  const byProduct = new Map<string, { results: QualityResult[]; views: MaskedOutcome<QualityResult>[] }>();
  for (const [i, view] of masked.entries()) {
    const result = stored[i]!;
    const group = byProduct.get(result.productId) ?? { results: [], views: [] };
    group.results.push(result);
    group.views.push(view);
    byProduct.set(result.productId, group);
  }
  const tenant = catalog.forTenant(reader.tenantId, signal);
  for (const [productId, group] of byProduct) {
    const level = highestLevel(group.views.map((v) => v.level));
    if (!mustAudit(level)) continue;
    const product = await tenant.products.get(productId);
    const named = (view: MaskedOutcome<QualityResult>, names: readonly string[]) =>
      names.map((n) => `${view.outcome.name}.${n}`);
    await auditDataAccess(
      catalog,
      {
        tenantId: reader.tenantId,
        actor: reader.actor,
        clearance: reader.clearance,
        product: product?.name ?? productId,
        productId,
        version: await versionOf(catalog, reader.tenantId, group.results, signal),
        ...(group.results[0]?.snapshotId ? { snapshotId: group.results[0].snapshotId } : {}),
        source: `quality_results (${reader.source})`,
        level,
        unmasked: group.views.flatMap((v) => named(v, v.revealed)),
        masked: group.views.flatMap((v) => named(v, v.masked)),
        filters: [],
        limit: group.results.length,
        rows: group.results.length,
      },
      signal,
    );
  }
  return {
    results: masked.map((m) => m.outcome),
    masked: [...new Set(masked.flatMap((m) => m.masked.map((n) => `${m.outcome.name}.${n}`)))],
  };
}

/** The product version the results were measured under (through their execution), for the audit entry. */
async function versionOf(
  catalog: Catalog,
  tenantId: string,
  results: readonly QualityResult[],
  signal?: AbortSignal,
): Promise<string> {
  const executionId = results.find((r) => r.executionId !== undefined)?.executionId;
  if (executionId === undefined) return 'unknown';
  const tenant = catalog.forTenant(tenantId, signal);
  const execution = await tenant.executions.get(executionId);
  const version = execution ? await tenant.products.getVersion(execution.productVersionId) : undefined;
  return version?.version ?? 'unknown';
}
