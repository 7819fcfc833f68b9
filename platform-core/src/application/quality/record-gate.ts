import type { GateOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import type { TenantCatalog } from '../../ports/catalog.js';

export interface GateRecord {
  readonly productId: string;
  readonly executionId?: string;
  readonly snapshotId?: string;
}

/**
 * Stores every check outcome of a gate (in `tx` to make it part of the execution's state change,
 * or `catalog.forTenant(t)`), and returns them with the quality score.
 */
export async function recordGate(
  repos: Pick<TenantCatalog, 'qualityResults'>,
  gate: GateOutcome,
  record: GateRecord,
): Promise<{ readonly results: QualityResult[]; readonly score: number }> {
  const results = await repos.qualityResults.record(
    gate.checks.map((c) => ({
      ...c,
      productId: record.productId,
      ...(record.executionId !== undefined ? { executionId: record.executionId } : {}),
      ...(record.snapshotId !== undefined ? { snapshotId: record.snapshotId } : {}),
    })),
  );
  return { results, score: gate.score };
}
