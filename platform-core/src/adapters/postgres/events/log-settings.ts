import type { SqlDatabase } from '../../../ports/sql-database.js';

/** How a PostgreSQL-log subscription runs (from the bus options and the subscribe call). */
export interface LogSubscriptionSettings {
  readonly db: SqlDatabase;
  readonly topics: readonly string[] | 'all';
  readonly concurrency: number;
  /** Polling fallback when no notification arrives (ms). */
  readonly pollMs: number;
  /** Group lease duration (ms); renewed every third of it. */
  readonly leaseMs: number;
  /** Rows per fetch. */
  readonly batchSize: number;
  /** Messages fetched but not finished, at most. */
  readonly maxBuffered: number;
  /** This member's identity (host:pid:random). */
  readonly owner: string;
  /** One relay pass (caughtUp relays first). */
  readonly relay: (signal?: AbortSignal) => Promise<unknown>;
  readonly signal?: AbortSignal | undefined;
}
