import type { JsonObject } from '../../domain/json.js';
import { DEFAULT_SNAPSHOT_RETENTION, type Snapshot } from '../../domain/lake/snapshot.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import { retainSnapshots, type RetentionReport } from './retain-snapshots.js';
import type { LakeDeps, StagedSnapshot } from './write-snapshot.js';

export interface CommitOptions {
  /**
   * Runs inside the commit transaction, after the pointer flip: the execution's state change and
   * its outbox event (e.g. `eventBus.publish(tx, DataAvailable …)`). If it throws, nothing is
   * committed and the previous snapshot stays current.
   */
  readonly within?: (tx: TenantCatalog, snapshot: Snapshot) => Promise<void>;
  readonly schema?: JsonObject;
  readonly stats?: JsonObject;
  /** How many visible snapshots to keep per product (default 5); older ones are deleted after commit. */
  readonly keep?: number;
  /** Called once the transaction committed, before retention (the snapshot is visible). */
  readonly afterCommit?: (snapshot: Snapshot) => void;
}

export interface CommitResult {
  readonly snapshot: Snapshot;
  readonly retention: RetentionReport;
}

/**
 * Makes a staged snapshot the product's current one: ONE catalog transaction flips the pointer
 * (staged → committed) together with whatever `within` writes. Retention runs after the commit
 * (a failure there never undoes the commit; the next commit or sweep retries it).
 */
export async function commitSnapshot(
  deps: LakeDeps,
  staged: StagedSnapshot,
  options: CommitOptions = {},
  signal?: AbortSignal,
): Promise<CommitResult> {
  const { tenantId, productId } = staged.target;
  const snapshot = await deps.catalog.transaction(
    tenantId,
    async (tx) => {
      const committed = await tx.snapshots.commit(staged.snapshot.id, {
        rowCount: staged.rowCount,
        ...(options.schema ? { schema: options.schema } : {}),
        ...(options.stats ? { stats: options.stats } : {}),
      });
      await options.within?.(tx, committed);
      return committed;
    },
    signal,
  );
  options.afterCommit?.(snapshot);
  const retention = await retainSnapshots(
    deps,
    tenantId,
    productId,
    options.keep ?? DEFAULT_SNAPSHOT_RETENTION,
    signal,
  ).catch((): RetentionReport => ({ kept: [], deleted: [], failed: true }));
  return { snapshot, retention };
}

/** A staged snapshot that must not become visible (its gate blocked it): row discarded, file removed. */
export async function discardSnapshot(deps: LakeDeps, staged: StagedSnapshot, signal?: AbortSignal): Promise<Snapshot> {
  const discarded = await deps.catalog.forTenant(staged.target.tenantId, signal).snapshots.discard(staged.snapshot.id);
  await deps.lake.remove(staged.file.location, signal);
  return discarded;
}
