import type { Snapshot } from '../../domain/lake/snapshot.js';
import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';
import type { GateOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import type { Catalog, TenantCatalog } from '../../ports/catalog.js';
import type { Lake } from '../../ports/lake.js';
import { commitSnapshot, discardSnapshot } from '../lake/commit-snapshot.js';
import type { StagedSnapshot } from '../lake/write-snapshot.js';
import { recordGate } from './record-gate.js';
import { referenceSnapshots } from './reference-snapshots.js';
import { assertGatePassed, runQualityGate, type QualityGateDeps, type QualityGateRequest } from './run-quality-gate.js';

export interface GateSnapshotDeps extends QualityGateDeps {
  readonly catalog: Catalog;
  readonly lake: Lake;
}

export interface GateSnapshotRequest extends Omit<QualityGateRequest, 'outputPath' | 'references' | 'checks'> {
  readonly checks: readonly QualityCheckPlan[];
  /** The product name, for messages. */
  readonly product: string;
  /** Runs in the commit transaction (execution state change + DataAvailable), see `commitSnapshot`. */
  readonly within?: (tx: TenantCatalog, snapshot: Snapshot) => Promise<void>;
  /** Snapshots kept per product (default 5). */
  readonly keep?: number;
  /** Called once the snapshot is committed (visible), before retention and serving. */
  readonly afterCommit?: (snapshot: Snapshot) => void;
}

export interface GatedSnapshot {
  readonly gate: GateOutcome;
  readonly snapshot: Snapshot;
  readonly results: readonly QualityResult[];
}

/**
 * The step between "written" and "visible": runs the plan's checks over the staged snapshot (the
 * `reference:<product>` views bound to those products' current snapshots). Passing (warnings
 * allowed): its results are stored and the snapshot committed in ONE transaction with `within`.
 * Blocking failure: results stored, snapshot discarded, QualityGateFailed thrown (the previous
 * snapshot stays current; `downstreamSkips` lists what to skip).
 */
export async function gateSnapshot(
  deps: GateSnapshotDeps,
  staged: StagedSnapshot,
  request: GateSnapshotRequest,
): Promise<GatedSnapshot> {
  const { signal } = request;
  const { tenantId, productId, executionId } = staged.target;
  const references = await referenceSnapshots(deps, tenantId, request.checks, signal);
  const gate = await runQualityGate(deps, { ...request, outputPath: staged.file.path, references });
  const record = {
    productId,
    snapshotId: staged.snapshot.id,
    ...(executionId !== undefined ? { executionId } : {}),
  };
  if (!gate.promote) {
    await recordGate(deps.catalog.forTenant(tenantId, signal), gate, record);
    await discardSnapshot(deps, staged, signal);
    assertGatePassed(request.product, gate);
  }
  let results: readonly QualityResult[] = [];
  const { snapshot } = await commitSnapshot(
    deps,
    staged,
    {
      within: async (tx, committed) => {
        results = (await recordGate(tx, gate, record)).results;
        await request.within?.(tx, committed);
      },
      ...(request.keep !== undefined ? { keep: request.keep } : {}),
      ...(request.afterCommit ? { afterCommit: request.afterCommit } : {}),
    },
    signal,
  );
  return { gate, snapshot, results };
}
