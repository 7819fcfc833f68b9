import type { JsonValue } from '../../domain/json.js';

export type ProductRunStatus = 'succeeded' | 'failed' | 'skipped';

/** One line of the `hekima run` summary. */
export interface ProductRunReport {
  readonly product: string;
  readonly status: ProductRunStatus;
  readonly rows?: number;
  /** Of all the product's checks (`checks`), how many passed and how many failed (warn included). */
  readonly checksPassed: number;
  readonly checksFailed: number;
  /** Every check of the gate, when it ran: what was measured against what. */
  readonly checks?: readonly CheckReport[];
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
  /** Where a succeeded execution spent its time, in ms (`--json`: to see which step is slow). */
  readonly steps?: ProductSteps;
  /** How output.yaml's primary key was shown unique (see EngineResult.primaryKey). */
  readonly primaryKey?: 'checked' | 'proven';
}

/** One check's outcome, as the run reports it (no sample rows). */
export interface CheckReport {
  readonly name: string;
  readonly type: string;
  readonly severity: 'error' | 'warn';
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  readonly measured: JsonValue;
  readonly threshold: JsonValue;
  readonly message: string;
}

/** Milliseconds per step of one execution. */
export interface ProductSteps {
  /** Inputs bound: connector inputs ingested, upstream snapshots pinned. */
  readonly ingest: number;
  /** The logic run into a staged snapshot (shaping and output.yaml's constraints included). */
  readonly transform: number;
  /** The quality gate, and the commit that makes the snapshot current. */
  readonly gate: number;
  /** Serving projections and the execution's end. */
  readonly serve: number;
}

/**
 * Progress of a run. `index` counts from 0: for `start`, how many products started before this
 * one; for `done`, how many finished before it (the summary's order). `running` is how many
 * products are in flight: with this one for `start`, after this one for `done`.
 */
export type RunProgress =
  | {
      readonly type: 'start';
      readonly product: string;
      readonly index: number;
      readonly total: number;
      readonly running: number;
    }
  | {
      readonly type: 'done';
      readonly report: ProductRunReport;
      readonly index: number;
      readonly total: number;
      readonly running: number;
    };
