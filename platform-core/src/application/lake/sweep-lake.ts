import { isVisibleSnapshot } from '../../domain/lake/snapshot.js';
import type { LakeDeps } from './write-snapshot.js';

export interface SweepRequest {
  readonly tenantId: string;
  readonly productId: string;
  readonly product: string;
  readonly version: string;
  /** Staged snapshots younger than this are a run in progress and left alone (default 1 h). */
  readonly graceMs?: number;
  readonly now?: Date;
}

export interface SweepReport {
  /** Folders removed: no row, a discarded row, or a staged row older than the grace period. */
  readonly removed: readonly string[];
  /** Stale staged rows marked discarded. */
  readonly discarded: readonly string[];
}

/**
 * Removes what a crash left behind in a product version's lake folder: snapshot folders that no
 * visible catalog row points at (temp files included), once past the grace period.
 */
export async function sweepLake(deps: LakeDeps, request: SweepRequest, signal?: AbortSignal): Promise<SweepReport> {
  const repo = deps.catalog.forTenant(request.tenantId, signal).snapshots;
  const now = (request.now ?? new Date()).getTime();
  const grace = request.graceMs ?? 3_600_000;
  const removed: string[] = [];
  const discarded: string[] = [];
  for (const entry of await deps.lake.list(request.tenantId, request.product, request.version, signal)) {
    const row = await repo.get(entry.snapshotId);
    if (row && row.productId !== request.productId) continue;
    if (row && isVisibleSnapshot(row.state)) continue;
    const stale = now - Math.max(entry.modifiedAt.getTime(), row ? Date.parse(row.updatedAt) : 0) >= grace;
    if (row?.state === 'staged' && !stale) continue;
    if (!row && !stale) continue;
    if (row?.state === 'staged') {
      await repo.discard(row.id);
      discarded.push(row.id);
    }
    await deps.lake.remove(entry.location, signal);
    removed.push(entry.snapshotId);
  }
  return { removed, discarded };
}
