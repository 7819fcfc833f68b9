import type { PlacementPolicy } from '../../domain/execution/placement.js';
import type { WorkerCapacity } from '../../domain/execution/resources.js';
import type { Clock } from '../../ports/clock.js';
import type { ExecutionHandler, StepRunner } from '../../ports/execution-handler.js';
import type { ExecutionLease, ExecutionQueue, WorkerRegistry } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import type { RunOutcome } from './run-execution.js';

export type ExecutionExecutor = (
  lease: ExecutionLease,
  context: { readonly signal: AbortSignal; readonly stopping: () => boolean },
) => Promise<RunOutcome>;

export interface ExecutionWorkerOptions {
  readonly id: string;
  readonly hostname: string;
  readonly pid: number;
  readonly queue: ExecutionQueue;
  readonly registry: WorkerRegistry;
  /** Step runtime (`runExecution`): plans steps, runs them one by one with a journal. */
  readonly handler?: ExecutionHandler;
  readonly runner?: StepRunner;
  /**
   * Or: carries out a whole leased execution itself (the product step runner of `hekima worker`,
   * application/run/product-executor.ts). It must settle the lease (finish, or release when
   * `stopping()`), and stop promptly when `signal` fires (lease lost, worker stopping).
   */
  readonly executor?: ExecutionExecutor;
  readonly placement: PlacementPolicy;
  /** What this worker advertises; claims never exceed it. */
  readonly capacity: WorkerCapacity;
  /** Executions run at once (default 4). */
  readonly concurrency?: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Lease duration (default 30 s); heartbeats every third of it. */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  /** Poll for work this often even without a wake-up (default 1 s). */
  readonly pollMs?: number;
  /** Lease sweep and placement reasons this often (default 2 s). */
  readonly maintainMs?: number;
  readonly maxResumes?: number;
  /** On stop, how long running executions may finish before they are released (default 30 s). */
  readonly drainMs?: number;
  /** Reports each finished run (tests, metrics). */
  readonly onOutcome?: (executionId: string, outcome: RunOutcome | 'error') => void;
}
