import { randomUUID } from 'node:crypto';
import { throwIfAborted } from '../../domain/errors.js';
import { snapshotLocation } from '../../domain/lake/lake-path.js';
import type { Snapshot } from '../../domain/lake/snapshot.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Lake, SnapshotFile } from '../../ports/lake.js';

/** Which product version a new snapshot belongs to. */
export interface SnapshotTarget {
  readonly tenantId: string;
  readonly productId: string;
  /** The product name and version, as they appear in the lake path (validated). */
  readonly product: string;
  readonly version: string;
  readonly productVersionId?: string;
  readonly executionId?: string;
  readonly windowId?: string;
}

/** A snapshot whose file is complete on disk but not yet visible (its row is `staged`). */
export interface StagedSnapshot {
  readonly target: SnapshotTarget;
  readonly snapshot: Snapshot;
  readonly file: SnapshotFile;
  readonly rowCount: number;
}

export interface LakeDeps {
  readonly catalog: Catalog;
  readonly lake: Lake;
}

/**
 * Writes a new snapshot aside: reserves a `staged` row (so a crash leaves a trace the sweep
 * recognises), lets `write` produce the Parquet file at a temp path (the engine's `outputPath`),
 * then publishes it atomically into its folder. Nothing is visible until `commitSnapshot`.
 */
export async function writeSnapshot(
  deps: LakeDeps,
  target: SnapshotTarget,
  write: (tempPath: string, signal?: AbortSignal) => Promise<{ readonly rowCount: number }>,
  signal?: AbortSignal,
): Promise<StagedSnapshot> {
  const id = randomUUID();
  const location = snapshotLocation({
    tenantId: target.tenantId,
    product: target.product,
    version: target.version,
    snapshotId: id,
  });
  const snapshot = await deps.catalog.forTenant(target.tenantId, signal).snapshots.create({
    id,
    productId: target.productId,
    location,
    ...(target.productVersionId !== undefined ? { productVersionId: target.productVersionId } : {}),
    ...(target.executionId !== undefined ? { executionId: target.executionId } : {}),
    ...(target.windowId !== undefined ? { windowId: target.windowId } : {}),
  });
  const staged = await deps.lake.stage(location, signal);
  const { rowCount } = await write(staged.tempPath, signal);
  throwIfAborted(signal, 'writing a snapshot');
  const file = await deps.lake.publish(staged, signal);
  return { target, snapshot, file, rowCount };
}
