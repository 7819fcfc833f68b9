import type { ErrorJSON } from '../errors.js';
import type { JsonObject } from '../json.js';

/**
 * Executions as the catalog stores them. The state machine itself (which moves are legal, leases,
 * retries) belongs to the executions use cases; the catalog records every transition with its
 * time and reason in `execution_transitions`.
 */
export const EXECUTION_STATES = [
  'pending',
  'ready',
  'running',
  'checking',
  'promoting',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];
export const TERMINAL_EXECUTION_STATES: readonly ExecutionState[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

export type ExecutionTrigger = 'manual' | 'schedule' | 'event' | 'replay';

export interface Execution {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly productVersionId: string;
  readonly deploymentId?: string;
  readonly state: ExecutionState;
  /** Why it is in this state (e.g. "fits no worker: needs 8 GiB"). */
  readonly stateReason?: string;
  readonly trigger: ExecutionTrigger;
  /** The correlation window / partition this run materialises (e.g. `2026-11-23`). */
  readonly windowId?: string;
  /** Unique per tenant: a duplicate trigger finds the existing execution instead of a new one. */
  readonly idempotencyKey: string;
  readonly correlationId?: string;
  /** Resources the run asks for (cpu, memory), as the placement policy reads them. */
  readonly requirements: JsonObject;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Earliest time a retry may start (backoff). */
  readonly notBefore?: string;
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: string;
  readonly heartbeatAt?: string;
  readonly error?: ErrorJSON;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Times a lease expired (or a stopping worker released it) and the run resumed elsewhere. */
  readonly resumes?: number;
  /** compute.yaml `retry` as decided at trigger time (`domain/execution/execution-retry.ts`). */
  readonly retryPolicy?: JsonObject;
  /** What the trigger resolved for each input (event, snapshot, fallback). */
  readonly inputs?: JsonObject;
}

export interface NewExecution {
  readonly productId: string;
  readonly productVersionId: string;
  readonly deploymentId?: string;
  readonly trigger: ExecutionTrigger;
  readonly idempotencyKey: string;
  readonly windowId?: string;
  readonly correlationId?: string;
  readonly requirements?: JsonObject;
  readonly maxAttempts?: number;
  readonly reason?: string;
}

export interface ExecutionTransition {
  readonly id: string;
  readonly executionId: string;
  readonly from?: ExecutionState;
  readonly to: ExecutionState;
  readonly reason?: string;
  readonly at: string;
}

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface ExecutionStep {
  readonly id: string;
  readonly executionId: string;
  readonly name: string;
  readonly ordinal: number;
  readonly state: StepState;
  readonly attempt: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly output?: JsonObject;
  readonly error?: ErrorJSON;
  readonly createdAt: string;
}
