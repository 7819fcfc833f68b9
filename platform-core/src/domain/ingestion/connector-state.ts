import type { JsonObject } from '../json.js';

/**
 * The committed state of one connector input of one product (docs/adr/0014): what its connector
 * returned with the last committed snapshot, and where the input's merged full data set lives in
 * the lake (absent when the input is re-read whole each run: `replace` extracts).
 */
export interface ConnectorStateRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly inputId: string;
  readonly state: JsonObject;
  /** The snapshot committed together with this state. */
  readonly snapshotId: string;
  /** The merged data, relative to the lake root (`domain/ingestion/input-data-location.ts`). */
  readonly dataLocation?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ConnectorStateWrite {
  readonly productId: string;
  readonly inputId: string;
  readonly state: JsonObject;
  readonly snapshotId: string;
  readonly dataLocation?: string;
  /**
   * The snapshot id of the state this run started from (null: it started from no state). The
   * write succeeds only if that is still the committed one (compare-and-set); otherwise another
   * run committed meanwhile and this one would apply the same increments twice: Conflict
   * `connector_state_changed` (retryable), and the whole commit rolls back.
   */
  readonly expectedSnapshotId: string | null;
}
