import type { Execution, ExecutionState, ExecutionStep, NewExecution } from '../domain/catalog/execution.js';
import type { ErrorJSON } from '../domain/errors.js';
import type { ExecutionRetryPolicy } from '../domain/execution/execution-retry.js';
import type { PlacementPolicy } from '../domain/execution/placement.js';
import type { ResourceRequirements, WorkerCapacity } from '../domain/execution/resources.js';
import type { JsonObject } from '../domain/json.js';
import type { TenantCatalog } from './catalog.js';

/**
 * Durable executions on a queue (docs/adr/0009): the `executions` table is the queue. Submitting
 * is idempotent per tenant and idempotency key; workers claim ready executions under a lease
 * (`FOR UPDATE SKIP LOCKED`, placement chosen by a policy), keep it with heartbeats, and every
 * write they make is fenced by the claim: a worker whose lease expired (and was taken over) can no
 * longer change anything. A lease that expires returns the execution to `ready`; the next worker
 * resumes it after its last completed step.
 */
export interface SubmitRequest extends Omit<NewExecution, 'requirements'> {
  readonly requirements?: ResourceRequirements;
  readonly retryPolicy?: ExecutionRetryPolicy;
  /** What the trigger resolved (inputs and their snapshots), kept on the execution. */
  readonly inputs?: JsonObject;
  /** Create it already failed (a correlation whose input fallback is `fail`). */
  readonly failWith?: { readonly reason: string; readonly error: ErrorJSON };
  /**
   * Lease it to this worker in the same transaction that creates it, so no other worker can claim
   * it first (`hekima run` running its own manual executions beside `hekima worker`s). Ignored
   * when the key names an existing execution or with `failWith`.
   */
  readonly claimFor?: ClaimOneRequest;
}

export interface ClaimRequest {
  readonly workerId: string;
  /** Capacity not used by the worker's running executions. */
  readonly free: WorkerCapacity;
  /** How many executions the worker can start now. */
  readonly slots: number;
  readonly placement: PlacementPolicy;
  readonly leaseMs: number;
}

/** Claiming one named execution (`hekima run` leasing what its own events triggered). */
export interface ClaimOneRequest {
  readonly workerId: string;
  readonly leaseMs: number;
}

export interface MaintenanceRequest {
  /** A lease may expire this many times before the execution fails instead of resuming. */
  readonly maxResumes: number;
  /** Workers whose heartbeat is older are not live. */
  readonly workerTtlMs: number;
  /** Only this tenant's expired leases, and no placement reasons (`hekima run` recovering its own runs). */
  readonly tenantId?: string;
}

export interface MaintenanceReport {
  /** Executions whose lease expired and that went back to ready to resume. */
  readonly resumed: number;
  /** Executions that failed because their lease expired `maxResumes` times. */
  readonly abandoned: number;
  /** Ids of the executions whose lease expired (resumed or abandoned). */
  readonly expired: readonly string[];
  /** Ready executions whose reason now says they fit no live worker. */
  readonly unplaceable: number;
}

export interface ExecutionQueue {
  /**
   * Creates the execution and makes it ready (or returns the one with the same key, `created:
   * false`); with `claimFor`, leased to that worker at once (`lease`).
   */
  submit(
    tenantId: string,
    request: SubmitRequest,
    signal?: AbortSignal,
  ): Promise<{ execution: Execution; created: boolean; lease?: ExecutionLease }>;
  /** Claims up to `slots` ready executions for a worker (cross-tenant). */
  claim(request: ClaimRequest, signal?: AbortSignal): Promise<ExecutionLease[]>;
  /**
   * Claims this one execution of the tenant if it is ready and due (whatever else is ready);
   * undefined when it is not claimable now (held by a worker, finished, or waiting for a retry).
   */
  claimById(
    tenantId: string,
    executionId: string,
    request: ClaimOneRequest,
    signal?: AbortSignal,
  ): Promise<ExecutionLease | undefined>;
  /** Lease expiry sweep and "fits no worker" reasons (cross-tenant; any worker may run it). */
  maintain(request: MaintenanceRequest, signal?: AbortSignal): Promise<MaintenanceReport>;
  /** Cancels a non-terminal execution; a worker holding it loses its lease at its next write. */
  cancel(tenantId: string, executionId: string, reason: string, signal?: AbortSignal): Promise<Execution>;
  /** Calls `onWork` when executions become ready (a wake-up, not a delivery). Returns the unsubscribe. */
  watch(onWork: () => void): Promise<() => Promise<void>>;
}

/**
 * A claimed execution. Every method fails with InvalidState `lease_lost` once the claim is no
 * longer this worker's (expired and taken over, or the execution was cancelled).
 */
export interface ExecutionLease {
  readonly execution: Execution;
  readonly workerId: string;
  /** True when the claim resumes an execution after an expired lease or a release. */
  readonly resumed: boolean;
  readonly retryPolicy: ExecutionRetryPolicy;
  /** Extends the lease by its duration. */
  heartbeat(signal?: AbortSignal): Promise<void>;
  steps(signal?: AbortSignal): Promise<ExecutionStep[]>;
  /** Moves to a later leased state (running → checking → promoting). */
  advance(to: ExecutionState, reason: string, signal?: AbortSignal): Promise<void>;
  startStep(name: string, ordinal: number, signal?: AbortSignal): Promise<void>;
  completeStep(name: string, output: JsonObject, durationMs: number, signal?: AbortSignal): Promise<void>;
  failStep(name: string, error: ErrorJSON, durationMs: number, signal?: AbortSignal): Promise<void>;
  /** Back to ready for attempt + 1, not before `delayMs`. */
  retryLater(error: ErrorJSON, delayMs: number, reason: string, signal?: AbortSignal): Promise<void>;
  /** Back to ready without using an attempt (the worker is stopping); another worker resumes it. */
  release(reason: string, signal?: AbortSignal): Promise<void>;
  /**
   * Ends the execution. `within` runs in the same transaction (e.g. a blocked gate's results and
   * events recorded with the failure they caused): both commit or neither.
   */
  finish(
    state: 'succeeded' | 'failed' | 'skipped',
    reason: string,
    error?: ErrorJSON,
    signal?: AbortSignal,
    within?: (tx: TenantCatalog) => Promise<void>,
  ): Promise<void>;
}

export interface WorkerRegistration {
  readonly id: string;
  readonly hostname: string;
  readonly pid: number;
  readonly capacity: WorkerCapacity;
  readonly concurrency: number;
  readonly placement: string;
}

export interface WorkerStatus extends WorkerRegistration {
  readonly running: number;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  readonly stoppedAt?: string;
}

/** Live workers and what they offer (installation-wide, not tenant data). */
export interface WorkerRegistry {
  register(worker: WorkerRegistration, signal?: AbortSignal): Promise<void>;
  heartbeat(workerId: string, running: number, signal?: AbortSignal): Promise<void>;
  deregister(workerId: string, signal?: AbortSignal): Promise<void>;
  /** Workers with a heartbeat within `ttlMs` (and not stopped), newest first. */
  live(ttlMs: number, signal?: AbortSignal): Promise<WorkerStatus[]>;
}
