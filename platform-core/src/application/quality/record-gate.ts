import { qualityEvents, type QualityEventContext } from '../../domain/quality/quality-events.js';
import type { GateOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import { withPublicErrors, type ResultClassification } from '../../domain/quality/result-masking.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';

export interface GateRecord {
  readonly productId: string;
  readonly executionId?: string;
  readonly snapshotId?: string;
}

/** The classification the gate's values carry: stored with each result, readers are masked per it. */
export type GateClassification = ResultClassification;

/** How a gate is announced: the bus, and what the events say beyond the check outcomes. */
export interface GateAnnouncement {
  readonly bus: Pick<EventBus, 'publish'>;
  readonly context: Omit<QualityEventContext, 'productId' | 'executionId' | 'snapshotId'>;
  /** The execution's correlation id (its lifecycle events carry the same); default the execution id. */
  readonly correlationId?: string;
}

/**
 * Stores every check outcome of a gate as it is (unmasked, with the classification its values carry) and, with `announce`, publishes one QualityCheckCompleted
 * or QualityCheckFailed per check (`qualityEvents`), all through `tx`: call it inside the
 * transaction that makes the gate's consequence (the snapshot commit, the execution's failure).
 * Returns the stored results with the quality score.
 */
export async function recordGate(
  tx: TenantCatalog,
  gate: GateOutcome,
  record: GateRecord,
  classification: GateClassification,
  announce?: GateAnnouncement,
): Promise<{ readonly results: QualityResult[]; readonly score: number }> {
  const results = await tx.qualityResults.record(
    gate.checks.map((c) => ({
      ...c,
      productId: record.productId,
      classification,
      ...(record.executionId !== undefined ? { executionId: record.executionId } : {}),
      ...(record.snapshotId !== undefined ? { snapshotId: record.snapshotId } : {}),
    })),
  );
  if (announce)
    for (const event of qualityEvents(withPublicErrors(gate, classification), { ...announce.context, ...record }))
      await announce.bus.publish(tx, {
        ...event,
        product: announce.context.productName,
        productId: record.productId,
        ...((announce.correlationId ?? record.executionId) !== undefined
          ? { correlationId: announce.correlationId ?? record.executionId }
          : {}),
      });
  return { results, score: gate.score };
}
