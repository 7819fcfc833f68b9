import { invalidArgument, notFound } from '../../domain/errors.js';
import type { Snapshot } from '../../domain/lake/snapshot.js';
import type { LakeDeps } from './write-snapshot.js';

export interface SnapshotSelector {
  /** A snapshot id, or an ISO 8601 instant (the newest snapshot committed at or before it). */
  readonly asOf?: string;
}

export interface ReadableSnapshot {
  readonly snapshot: Snapshot;
  /** Absolute path of its Parquet file. */
  readonly path: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The snapshot a reader gets: the current one, or the one `--as-of` names (an id or an instant).
 * Only committed-or-promoted snapshots are readable. NotFound `snapshot_not_found` otherwise.
 */
export async function readableSnapshot(
  deps: LakeDeps,
  tenantId: string,
  productId: string,
  selector: SnapshotSelector = {},
  signal?: AbortSignal,
): Promise<ReadableSnapshot> {
  const repo = deps.catalog.forTenant(tenantId, signal).snapshots;
  const asOf = selector.asOf;
  let snapshot: Snapshot | undefined;
  if (asOf === undefined) snapshot = await repo.current(productId);
  else if (UUID.test(asOf)) {
    const found = await repo.get(asOf);
    snapshot = found && found.productId === productId && found.committedAt ? found : undefined;
    if (snapshot && snapshot.state !== 'committed' && snapshot.state !== 'promoted') snapshot = undefined;
  } else {
    const at = new Date(asOf);
    if (Number.isNaN(at.getTime()))
      throw invalidArgument('invalid_as_of', `--as-of takes a snapshot id or an ISO 8601 instant, not "${asOf}".`, {
        retryable: false,
      });
    snapshot = await repo.asOf(productId, at.toISOString());
  }
  if (!snapshot)
    throw notFound(
      'snapshot_not_found',
      asOf === undefined
        ? 'The product has no committed snapshot yet.'
        : `No committed snapshot of the product as of ${asOf}.`,
      { details: { productId, ...(asOf !== undefined ? { asOf } : {}) } },
    );
  return { snapshot, path: deps.lake.resolve(snapshot.location) };
}
