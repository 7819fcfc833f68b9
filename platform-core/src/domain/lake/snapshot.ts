import type { JsonObject } from '../json.js';

/**
 * A snapshot of a product's output in the lake (docs/adr/0011). Lifecycle:
 * `staged` (row reserved, file being written aside) → `committed` (file in place, quality gate
 * passed, the catalog pointer flipped: readers see it) → `promoted` (projected into serving
 * stores); `staged`/`committed` → `discarded` (gate failed, crash swept, or beyond retention).
 * The product's CURRENT snapshot is its newest committed-or-promoted one.
 */
export const SNAPSHOT_STATES = ['staged', 'committed', 'promoted', 'discarded'] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

export interface Snapshot {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly productVersionId?: string;
  readonly executionId?: string;
  readonly state: SnapshotState;
  readonly windowId?: string;
  /** The data file, relative to the lake root (`tenant-<t>/<product>/<version>/snapshots/<id>/data.parquet`). */
  readonly location: string;
  readonly rowCount?: number;
  readonly schema?: JsonObject;
  readonly stats?: JsonObject;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly committedAt?: string;
  readonly promotedAt?: string;
}

export interface NewSnapshot {
  /** A UUID chosen by the caller (the lake path embeds it before the row exists). */
  readonly id: string;
  readonly productId: string;
  readonly productVersionId?: string;
  readonly executionId?: string;
  readonly windowId?: string;
  readonly location: string;
}

export interface SnapshotCommit {
  readonly rowCount: number;
  readonly schema?: JsonObject;
  readonly stats?: JsonObject;
}

export const DEFAULT_SNAPSHOT_RETENTION = 5;

/** States a reader may see. */
export function isVisibleSnapshot(state: SnapshotState): boolean {
  return state === 'committed' || state === 'promoted';
}
