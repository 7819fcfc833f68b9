import type { JsonValue } from '../domain/json.js';
import type { PlanColumn, ServingWriterPlan } from '../domain/plan/product-plan.js';

/**
 * A serving store: a projection of a product's committed snapshot, refreshed after each commit
 * (docs/adr/0013). `lookup`/`timeseries` → PostgreSQL tables under RLS, `realtime` → Redis keys,
 * `analytics` → the lake itself (no projection; read through DuckDB).
 */
export type ServingEndpointType = 'lookup' | 'timeseries' | 'realtime' | 'analytics';
export const SERVING_ENDPOINT_TYPES: readonly ServingEndpointType[] = ['lookup', 'timeseries', 'realtime', 'analytics'];

export type ServedRow = Readonly<Record<string, JsonValue>>;

/**
 * The rows of a snapshot, read in bounded batches so that serving never holds the whole snapshot
 * in memory. Re-readable: every call of `batches` reads again from the first row (a product may
 * have several endpoints, each reads once), and breaking out of the loop ends that read.
 */
export interface ServedRowSource {
  batches(signal?: AbortSignal): AsyncIterable<readonly ServedRow[]>;
}

export interface ProjectionRequest {
  readonly tenantId: string;
  readonly product: string;
  /** The product version (its major names the table / key prefix). */
  readonly version: string;
  readonly snapshotId: string;
  /** When the snapshot was committed: `valid_from`/`valid_to` of type_2 history. */
  readonly committedAt: Date;
  /** Absolute path of the snapshot's Parquet file. */
  readonly path: string;
  readonly columns: readonly PlanColumn[];
  /** The endpoint's writer from the plan (`domain/plan/serving-writers.ts`). */
  readonly writer: ServingWriterPlan;
  /**
   * The snapshot's rows in batches, as JSON values (DuckDB's JSON form: BIGINT/DECIMAL as text,
   * dates ISO). A store that needs no rows (analytics, a disabled store) never reads them.
   */
  readonly rows: ServedRowSource;
}

/**
 * `served`: the store holds the snapshot. `degraded`: the store is unavailable (circuit open);
 * the run still succeeds and the projection is retried later. `off`: the store is not configured
 * (realtime without Redis). `failed`: the store refused it (the previous projection stays).
 */
export type ProjectionStatus = 'served' | 'degraded' | 'off' | 'failed';

export interface ProjectionResult {
  readonly endpoint: ServingEndpointType;
  readonly status: ProjectionStatus;
  /** Rows (or keys) written. */
  readonly written: number;
  /** Rows removed, or history rows closed (type_2), for keys absent from the snapshot. */
  readonly retired: number;
  /** Where it went: `schema.table`, `hekima:<tenant>:<product>:v1:*`, or the snapshot's location. */
  readonly target: string;
  /** timeseries: `hypertable` (TimescaleDB) or `brin` (plain table, BRIN index on the time column). */
  readonly storage?: 'hypertable' | 'brin';
  /** A sentence for people (why degraded/off/failed). */
  readonly message?: string;
}

export interface ServedFilter {
  readonly column: string;
  readonly value: string;
}

export interface ServedReadRequest {
  readonly tenantId: string;
  readonly product: string;
  readonly version: string;
  readonly columns: readonly PlanColumn[];
  readonly writer: ServingWriterPlan;
  /** Equality filters (ANDed); lookup/timeseries accept only indexed or key columns. */
  readonly filters: readonly ServedFilter[];
  /** Columns the caller may not read: they come back as `***MASKED***` and cannot be filtered on. */
  readonly masked: readonly string[];
  /** analytics: the snapshot file to read, and an optional SELECT over it. */
  readonly path?: string;
  readonly sql?: string;
  readonly limit: number;
}

export interface ServedRows {
  readonly columns: readonly string[];
  readonly rows: readonly ServedRow[];
  /** The type of each column (engine type names, as `columns`), when the store knows the result's own. */
  readonly types?: readonly string[];
}

export interface ServingStore {
  readonly endpoint: ServingEndpointType;
  project(request: ProjectionRequest, signal?: AbortSignal): Promise<ProjectionResult>;
  read(request: ServedReadRequest, signal?: AbortSignal): Promise<ServedRows>;
  /** Re-runs projections that ended `degraded` (realtime); returns what it attempted. */
  retryPending?(signal?: AbortSignal): Promise<readonly ProjectionResult[]>;
  close?(): Promise<void>;
}

/** One store per endpoint type. */
export type ServingStores = Readonly<Record<ServingEndpointType, ServingStore>>;
