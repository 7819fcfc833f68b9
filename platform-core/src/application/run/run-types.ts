export type ProductRunStatus = 'succeeded' | 'failed' | 'skipped';

/** One line of the `hekima run` summary. */
export interface ProductRunReport {
  readonly product: string;
  readonly status: ProductRunStatus;
  readonly rows?: number;
  readonly checksPassed: number;
  readonly checksFailed: number;
  /** Endpoints projected (`served` or `off`), e.g. `lookup`, `analytics`. */
  readonly endpoints: readonly string[];
  readonly endpointNotes: readonly string[];
  readonly ms: number;
  readonly executionId?: string;
  /** How the execution came about: `event` (the correlation engine completed its window) or `manual`. */
  readonly trigger?: string;
  /** The correlation window it ran for (event-triggered executions). */
  readonly windowId?: string;
  readonly snapshotId?: string;
  readonly reason?: string;
  readonly errorCode?: string;
}

export type RunProgress =
  | { readonly type: 'start'; readonly product: string; readonly index: number; readonly total: number }
  | { readonly type: 'done'; readonly report: ProductRunReport; readonly index: number; readonly total: number };
