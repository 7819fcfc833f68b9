import { invalidState } from '../../domain/errors.js';
import type { PlacementPolicy } from '../../domain/execution/placement.js';
import type { ExecutionLease, ExecutionQueue, SubmitRequest } from '../../ports/execution-queue.js';

/** Long enough for one product of `hekima run`; the run finishes or fails the lease itself. */
const LEASE_MS = 30 * 60_000;

/**
 * Submits one execution and leases exactly it (a placement that picks only its id, so other
 * ready executions stay for the workers): `hekima run` is then the worker of its own executions,
 * and every state change (running → checking → promoting → succeeded | failed) is recorded.
 */
export async function leaseExecution(
  queue: ExecutionQueue,
  tenantId: string,
  request: SubmitRequest,
  signal?: AbortSignal,
): Promise<ExecutionLease> {
  const { execution } = await queue.submit(tenantId, request, signal);
  const only: PlacementPolicy = {
    name: 'hekima-run',
    choose: (candidates) => candidates.filter((c) => c.id === execution.id).slice(0, 1),
  };
  const [lease] = await queue.claim(
    {
      workerId: `hekima-run-${process.pid}`,
      free: { cpuMillis: Number.MAX_SAFE_INTEGER, memoryBytes: Number.MAX_SAFE_INTEGER },
      slots: 1,
      placement: only,
      leaseMs: LEASE_MS,
    },
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
