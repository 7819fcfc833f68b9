import type { JsonObject } from '../domain/json.js';

/**
 * A projection that a serving store could not take (`degraded`: Redis down, circuit open), kept in
 * the catalog (migration 009, tenant RLS) until a later `hekima run` or `hekima worker` serves it.
 * One per product and endpoint: the newest snapshot wins, an older one never replaces it.
 */
export interface PendingProjection {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly endpoint: 'lookup' | 'timeseries' | 'realtime';
  readonly product: string;
  readonly version: string;
  readonly snapshotId: string;
  /** ISO 8601: when the snapshot was committed (orders snapshots). */
  readonly committedAt: string;
  /** What the projection needs besides the rows: `{ columns, writer }` from the plan. */
  readonly request: JsonObject;
  readonly attempts: number;
  readonly lastError?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewPendingProjection = Pick<
  PendingProjection,
  'productId' | 'endpoint' | 'product' | 'version' | 'snapshotId' | 'committedAt' | 'request'
> & { readonly lastError?: string };

export interface PendingProjectionRepository {
  /**
   * Keeps the projection to redo: inserts it, or replaces the product's pending one for that
   * endpoint when this snapshot is at least as new. Returns undefined (and changes nothing) when
   * a newer snapshot is already pending.
   */
  record(input: NewPendingProjection): Promise<PendingProjection | undefined>;
  /** The pending projections of the tenant, oldest snapshot first. */
  list(limit?: number): Promise<PendingProjection[]>;
  /**
   * Forgets the product's pending projection for the endpoint if its snapshot was committed at or
   * before `upTo` (a newer snapshot has been served). True if one was removed.
   */
  clear(productId: string, endpoint: PendingProjection['endpoint'], upTo: string): Promise<boolean>;
  /** Counts a failed retry. */
  noteFailure(id: string, error: string): Promise<void>;
}
