import { invalidState } from '../../domain/errors.js';
import type { ExecutionLease, ExecutionQueue, SubmitRequest } from '../../ports/execution-queue.js';

/** Long enough for one product of `hekima run`; the run finishes, fails or cancels the lease itself. */
export const RUN_LEASE_MS = 30 * 60_000;

/** The run does not heartbeat: its lease outlasts the product's compute.yaml timeout. */
export function runLeaseMs(timeoutMs: number): number {
  return Math.max(RUN_LEASE_MS, timeoutMs + 5 * 60_000);
}

/**
 * Submits one execution and leases exactly it, by its id (`claimById`: however many other ready
 * executions the tenant has, they stay for the workers): `hekima run` is then the worker of its
 * own executions, and every state change (running → checking → promoting → succeeded | failed)
 * is recorded.
 */
export async function leaseExecution(
  queue: ExecutionQueue,
  tenantId: string,
  request: SubmitRequest,
  signal?: AbortSignal,
  leaseMs = RUN_LEASE_MS,
): Promise<ExecutionLease> {
  const { execution } = await queue.submit(tenantId, request, signal);
  const lease = await queue.claimById(
    tenantId,
    execution.id,
    { workerId: `hekima-run-${process.pid}`, leaseMs },
    signal,
  );
  if (!lease)
    throw invalidState(
      'execution_not_claimed',
      `Execution ${execution.id} (state ${execution.state}) could not be leased by hekima run: is a worker running it?`,
      { details: { executionId: execution.id } },
    );
  return lease;
}
