import type { Snapshot } from '../../domain/lake/snapshot.js';
import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';
import type { GateOutcome, QualityResult } from '../../domain/quality/quality-result.js';
import type { ResultClassification } from '../../domain/quality/result-masking.js';
import type { HekimaError } from '../../domain/errors.js';
import type { Catalog, TenantCatalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { Lake } from '../../ports/lake.js';
import { commitSnapshot, discardSnapshot } from '../lake/commit-snapshot.js';
import type { StagedSnapshot } from '../lake/write-snapshot.js';
import { recordGate, type GateAnnouncement } from './record-gate.js';
import { referenceSnapshots } from './reference-snapshots.js';
import { gateFailure, runQualityGate, type QualityGateDeps, type QualityGateRequest } from './run-quality-gate.js';

export interface GateSnapshotDeps extends QualityGateDeps {
  readonly catalog: Catalog;
  readonly lake: Lake;
  /** Publishes the gate's QualityCheck* events, with the results (none without a bus). */
  readonly bus?: Pick<EventBus, 'publish'>;
}

export interface GateSnapshotRequest extends Omit<QualityGateRequest, 'outputPath' | 'references' | 'checks'> {
  readonly checks: readonly QualityCheckPlan[];
  /** The product name, for messages. */
  readonly product: string;
  /** The product's and its columns' classification, stored with the results (read-time masking). */
  readonly classification: ResultClassification;
  /** Runs in the commit transaction (execution state change + DataAvailable), see `commitSnapshot`. */
  readonly within?: (tx: TenantCatalog, snapshot: Snapshot) => Promise<void>;
  /** Snapshots kept per product (default 5). */
  readonly keep?: number;
  /** Called once the snapshot is committed (visible), before retention and serving. */
  readonly afterCommit?: (snapshot: Snapshot) => void;
  /** What the QualityCheck* events say beyond the outcomes (downstream products, classification). */
  readonly announce?: Omit<GateAnnouncement, 'bus'>;
  /**
   * A blocked gate: `record` stores its results and QualityCheckFailed events; the caller runs it
   * in the transaction that fails the execution. Without this, it runs in a transaction of its own.
   * The snapshot is discarded before, and the QualityGateFailed `error` thrown after.
   */
  readonly onBlocked?: (
    error: HekimaError,
    record: (tx: TenantCatalog) => Promise<void>,
    gate: GateOutcome,
  ) => Promise<void>;
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
 * Blocking failure: snapshot discarded, results stored (with `onBlocked`, in the transaction that
 * fails the execution), QualityGateFailed thrown (the previous snapshot stays current;
 * `downstreamSkips` lists what to skip). With a bus and `announce`, every check is published as
 * QualityCheckCompleted / QualityCheckFailed in the same transaction as its result.
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
  const announce: GateAnnouncement | undefined =
    deps.bus && request.announce ? { bus: deps.bus, ...request.announce } : undefined;
  const failure = gateFailure(request.product, gate, request.classification);
  if (failure) {
    await discardSnapshot(deps, staged, signal);
    const write = async (tx: TenantCatalog) =>
      void (await recordGate(tx, gate, record, request.classification, announce));
    if (request.onBlocked) await request.onBlocked(failure, write, gate);
    else await deps.catalog.transaction(tenantId, write, signal);
    throw failure;
  }
  let results: readonly QualityResult[] = [];
  const { snapshot } = await commitSnapshot(
    deps,
    staged,
    {
      within: async (tx, committed) => {
        results = (await recordGate(tx, gate, record, request.classification, announce)).results;
        await request.within?.(tx, committed);
      },
      ...(request.keep !== undefined ? { keep: request.keep } : {}),
      ...(request.afterCommit ? { afterCommit: request.afterCommit } : {}),
    },
    signal,
  );
  return { gate, snapshot, results };
}
