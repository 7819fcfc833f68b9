import { invalidArgument, invalidState } from '../../domain/errors.js';
import type { ExecutionLease, ExecutionQueue, SubmitRequest } from '../../ports/execution-queue.js';

/**
 * The lease `hekima run` takes on each execution it runs: short, and kept by a heartbeat every
 * third of it while the product executes (`LeaseKeeper`). A killed run stops heartbeating, so its
 * execution's lease expires within a minute and the next run (or any worker's maintenance) ends it.
 */
export const RUN_LEASE_MS = 60_000;

/** Leases shorter than this would be lost to an ordinary pause (a slow query, a busy pool). */
export const MIN_RUN_LEASE_MS = 1000;

export interface RunLeaseTiming {
  readonly leaseMs: number;
  readonly heartbeatMs: number;
}

/** The lease and heartbeat of `hekima run` (`leaseMs` from HEKIMA_RUN_LEASE; default 60 s, beat every 20 s). */
export function runLeaseTiming(leaseMs: number = RUN_LEASE_MS): RunLeaseTiming {
  return { leaseMs, heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)) };
}

/**
 * `HEKIMA_RUN_LEASE` (e.g. `60s`, `2m`, `3000ms`, a bare number is milliseconds): how long a
 * `hekima run` that stopped heartbeating keeps its execution. Undefined or empty: the default.
 */
export function parseRunLease(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 'ms') as 'ms']) : NaN;
  if (!(ms >= MIN_RUN_LEASE_MS))
    throw invalidArgument(
      'invalid_config',
      `HEKIMA_RUN_LEASE must be a duration of at least 1s, such as 60s, 2m or 3000ms (got "${text}"); unset it for the default 60s.`,
    );
  return ms;
}

/**
 * Submits one execution already leased (`claimFor`: however many other ready executions the
 * tenant has, they stay for the workers, and no worker can take this one first): `hekima run` is
 * then the worker of its own executions, and every state change (running → checking → promoting →
 * succeeded | failed) is recorded. A key that names an existing execution is claimed by id, if
 * it can be. The caller keeps the lease alive (`LeaseKeeper`) or finishes within `leaseMs`.
 */
export async function leaseExecution(
  queue: ExecutionQueue,
  tenantId: string,
  request: SubmitRequest,
  signal?: AbortSignal,
  leaseMs = RUN_LEASE_MS,
): Promise<ExecutionLease> {
  const claim = { workerId: runWorkerId(), leaseMs };
  const submitted = await queue.submit(tenantId, { ...request, claimFor: claim }, signal);
  const { execution } = submitted;
  const lease = submitted.lease ?? (await queue.claimById(tenantId, execution.id, claim, signal));
  if (!lease)
    throw invalidState(
      'execution_not_claimed',
      `Execution ${execution.id} (state ${execution.state}) could not be leased by hekima run: is a worker running it?`,
      { details: { executionId: execution.id } },
    );
  return lease;
}

/** The lease owner `hekima run` records (shown by `hekima executions` and in expiry reasons). */
export function runWorkerId(): string {
  return `hekima-run-${process.pid}`;
}
