import type { Execution, ExecutionState } from '../../domain/catalog/execution.js';
import { isHekimaError } from '../../domain/errors.js';
import { isVisibleSnapshot, type Snapshot } from '../../domain/lake/snapshot.js';
import type { LakeDeps } from './write-snapshot.js';

export interface SweepRequest {
  readonly tenantId: string;
  readonly productId: string;
  readonly product: string;
  readonly version: string;
  /**
   * How long leftovers nothing can vouch for are left alone (default 1 h): folders without a row
   * and staged rows without an execution. `0` sweeps everything not visible, staged rows of
   * executions still holding their lease included: only for a caller that knows nothing else runs
   * (embedded mode, whose in-flight executions were cut off by the crash).
   */
  readonly graceMs?: number;
  readonly now?: Date;
}

export interface SweepReport {
  /** Folders removed: no row, a discarded row, or a staged row that is a leftover. */
  readonly removed: readonly string[];
  /** Stale staged rows marked discarded. */
  readonly discarded: readonly string[];
}

/** States in which an execution's lease holder may still commit its staged snapshot. */
const HOLDING_LEASE: readonly ExecutionState[] = ['running', 'checking', 'promoting'];

/**
 * Removes what a crash left behind in a product version's lake folder: snapshot folders that no
 * visible catalog row points at (temp files included). A staged row is a leftover at once when its
 * execution no longer holds a lease (finished, cancelled, failed, back to `ready` after its lease
 * expired, or gone): only the lease holder commits a staged snapshot, and a resumed execution
 * writes a new one. A staged row of an execution still holding its lease is a run in progress and
 * kept, however old; expired leases are ended first by the queue's maintenance (database clock), see
 * `recoverInterruptedRuns`. Rows and folders with nothing to ask wait for the grace period.
 */
export async function sweepLake(deps: LakeDeps, request: SweepRequest, signal?: AbortSignal): Promise<SweepReport> {
  const tenant = deps.catalog.forTenant(request.tenantId, signal);
  const now = (request.now ?? new Date()).getTime();
  const grace = request.graceMs ?? 3_600_000;
  const executions = new Map<string, Promise<Execution | undefined>>();
  const executionOf = (id: string) => {
    if (!executions.has(id)) executions.set(id, tenant.executions.get(id));
    return executions.get(id)!;
  };
  const removed: string[] = [];
  const discarded: string[] = [];
  for (const entry of await deps.lake.list(request.tenantId, request.product, request.version, signal)) {
    const row = await tenant.snapshots.get(entry.snapshotId);
    if (row && row.productId !== request.productId) continue;
    if (row && isVisibleSnapshot(row.state)) continue;
    const stale = now - Math.max(entry.modifiedAt.getTime(), row ? Date.parse(row.updatedAt) : 0) >= grace;
    if (row?.state === 'staged') {
      if (row.executionId === undefined) {
        if (!stale) continue;
      } else {
        const execution = await executionOf(row.executionId);
        if (execution && HOLDING_LEASE.includes(execution.state) && grace > 0) continue;
      }
      if (!(await discardStaged(deps, row, signal))) continue;
      discarded.push(row.id);
    } else if (!row && !stale) continue;
    await deps.lake.remove(entry.location, signal);
    removed.push(entry.snapshotId);
  }
  return { removed, discarded };
}

/** Thrown to roll back a discard that found the snapshot committed meanwhile. */
const COMMITTED_MEANWHILE = Symbol('committed meanwhile');

/**
 * Discards a snapshot only while it is still staged, atomically against its commit: whichever of
 * the two reaches the row first wins (the row lock orders them). A commit that comes later finds
 * it discarded and fails (`invalid_snapshot_transition`), so a run that lost its lease cannot
 * commit what was swept; a discard that comes later finds it committed and rolls back. False when
 * the snapshot was not staged any more (committed, or discarded by another sweep).
 */
export async function discardStaged(deps: LakeDeps, snapshot: Snapshot, signal?: AbortSignal): Promise<boolean> {
  try {
    await deps.catalog.transaction(
      snapshot.tenantId,
      async (tx) => {
        // `discard` also moves committed rows (retention): one that was committed is put back.
        const discarded = await tx.snapshots.discard(snapshot.id);
        if (discarded.committedAt !== undefined) throw COMMITTED_MEANWHILE;
      },
      signal,
    );
    return true;
  } catch (e) {
    if (e === COMMITTED_MEANWHILE) return false;
    if (isHekimaError(e) && (e.code === 'invalid_snapshot_transition' || e.code === 'snapshot_not_found')) return false;
    throw e;
  }
}
