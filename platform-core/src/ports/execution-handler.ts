import type { Execution } from '../domain/catalog/execution.js';
import type { ExecutionPhase } from '../domain/execution/execution-lifecycle.js';
import type { JsonObject } from '../domain/json.js';
import type { Logger } from './logger.js';

/**
 * How an execution is carried out, as two ports (the DuckDB/Python runtime implements them with
 * issue 5; tests use real step functions):
 *
 * - `ExecutionHandler.plan` turns an execution into its ordered steps (from the product version's
 *   plan: ingest and transform in phase `run`, quality checks in `check`, serving in `promote`);
 * - `StepRunner.run` performs one step and returns its output (JSON, recorded in the journal and
 *   handed to later steps).
 *
 * Guarantees the worker gives a step: it runs under a lease; a step already recorded as succeeded
 * is never run again for that execution (a resumed or retried execution skips it and gets its
 * recorded output); a step that was running when its worker died runs again, so a step's effects
 * must be idempotent by `context.idempotencyKey` (`<execution id>:<step name>`) — at least once
 * per step, exactly once per completed step. Failures are HekimaErrors: retryable ones retry per
 * compute.yaml, anything else fails the execution. `context.signal` fires when the lease is lost,
 * the execution is cancelled or the worker stops: stop promptly.
 */
export interface StepPlan {
  /** Unique within the execution (the journal key). */
  readonly name: string;
  readonly phase: ExecutionPhase;
  /** What the runner does (e.g. `sql`, `python`, `quality`, `promote`). */
  readonly kind: string;
  readonly params?: JsonObject;
}

export interface ExecutionHandler {
  /** Steps in order; phases must not go backwards (run, then check, then promote). */
  plan(execution: Execution, signal: AbortSignal): Promise<readonly StepPlan[]>;
}

export interface StepContext {
  readonly execution: Execution;
  /** The attempt (1-based) this step runs in. */
  readonly attempt: number;
  /** `<execution id>:<step name>`: key the step's effects by it. */
  readonly idempotencyKey: string;
  /** Outputs of the earlier steps, by step name. */
  readonly outputs: Readonly<Record<string, JsonObject>>;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export interface StepRunner {
  run(step: StepPlan, context: StepContext): Promise<JsonObject | undefined>;
}

/** What `hekima worker --steps <module>` loads: a module exporting `createStepRuntime`. */
export interface StepRuntime {
  readonly handler: ExecutionHandler;
  readonly runner: StepRunner;
  close?(): Promise<void>;
}

export type StepRuntimeFactory = (options: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
}) => StepRuntime | Promise<StepRuntime>;
