import type { Correlation } from '../domain/orchestration/correlation.js';
import type { DeployedProduct } from '../domain/orchestration/subscription-map.js';

/**
 * Durable correlation state (one row per tenant, product and window) for the correlation engine.
 * `withProduct` runs in one tenant transaction that holds a lock on the product: changes to one
 * product's correlations are serialised across processes, so two consumers of the same event (or
 * of two events of one window) never lose an arrival.
 */
export interface CorrelationStore {
  withProduct<T>(
    tenantId: string,
    productId: string,
    fn: (tx: CorrelationTx) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  /** Correlations that need the deadline sweep at `now`: open with a passed deadline, or complete but not yet triggered. */
  due(now: Date, limit: number, signal?: AbortSignal): Promise<CorrelationKey[]>;
  /** The tenant's products with an active deployment, with their manifests. */
  deployedProducts(tenantId: string, signal?: AbortSignal): Promise<DeployedProduct[]>;
}

export interface CorrelationKey {
  readonly tenantId: string;
  readonly productId: string;
  readonly windowId: string;
}

export interface CachedSnapshot {
  readonly snapshotId: string;
  readonly windowId?: string;
  readonly committedAt: string;
}

export interface CorrelationTx {
  /** Records that this product handled `eventId`; false when it already had (a duplicate delivery). */
  markSeen(eventId: string): Promise<boolean>;
  get(windowId: string): Promise<Correlation | undefined>;
  /** Open (not carry) correlations of the product. */
  open(): Promise<Correlation[]>;
  /** The highest round number used by `latest-N` windows (0 when none). */
  lastRound(): Promise<number>;
  save(correlation: Correlation): Promise<void>;
  /** The newest committed (or promoted) snapshot of the product named `productName`. */
  lastCommittedSnapshot(productName: string): Promise<CachedSnapshot | undefined>;
}
