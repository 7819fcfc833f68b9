import type { Execution, ExecutionState } from '../../domain/catalog/execution.js';
import type { ExecutionQueue } from '../../ports/execution-queue.js';
import type { ScratchSpace } from '../../ports/scratch-space.js';
import { DEFAULT_MAX_RESUMES } from '../executions/execution-worker.js';
import { sweepLake } from '../lake/sweep-lake.js';
import type { LakeDeps } from '../lake/write-snapshot.js';
import type { DeployedProduct } from './deploy-plans.js';
import { RUN_LEASE_MS } from './lease-execution.js';

export interface RecoverDeps extends LakeDeps {
  readonly queue: ExecutionQueue;
  readonly scratch: ScratchSpace;
}

export interface RecoverRequest {
  /** The workspace root: its scratch folders left by ended processes are removed. */
  readonly root: string;
  readonly tenantId: string;
  readonly deployed: ReadonlyMap<string, DeployedProduct>;
  /**
   * Embedded mode (every process sharing the catalog runs on this machine): whether the process
   * holding a lease (by its worker id) has ended. Executions in flight whose holder has ended were
   * cut off by a crash or a kill and are cancelled at once, without waiting for their lease.
   */
  readonly ownerGone?: (leaseOwner: string) => boolean;
  readonly signal?: AbortSignal;
}

export interface RecoverReport {
  /** Executions a process that ended left in flight, now cancelled (embedded mode). */
  readonly cancelled: readonly string[];
  /**
   * Executions whose process stopped heartbeating (server mode): their lease expired, so they went
   * back to `ready` to resume, or failed after too many expiries, as a worker's do.
   */
  readonly expired: readonly string[];
  /** Staged snapshots discarded and folders removed. */
  readonly swept: readonly string[];
  /**
   * Scratch folders (copies of inputs for Python logic, extracts, check exports) of processes
   * that ended without removing them (killed), removed.
   */
  readonly scratch: readonly string[];
}

const IN_FLIGHT: readonly ExecutionState[] = ['running', 'checking', 'promoting'];

/**
 * What `hekima run` does first: clean up after a run that crashed between writing a snapshot and
 * committing it, or was killed while it worked: the scratch folders of ended processes go first
 * (their owner is gone, whatever the catalog says). The previous snapshot is still the visible one
 * (a staged snapshot is never read); this removes the invisible leftovers. Other processes may be
 * mid-run (a worker, another `hekima run`, in either mode). Embedded, in-flight executions whose
 * process has ended (`ownerGone`) are cancelled with the reason at once. Then the tenant's
 * executions whose lease expired (by the database clock: their process stopped heartbeating) are
 * ended by the queue's
 * lease-expiry maintenance, the one workers run; then every staged snapshot whose execution no
 * longer runs is swept at once, and those of executions still holding a live lease are kept
 * (`sweepLake`).
 */
export async function recoverInterruptedRuns(deps: RecoverDeps, request: RecoverRequest): Promise<RecoverReport> {
  const { tenantId, signal } = request;
  const scratch = await deps.scratch.sweep(request.root, signal);
  const cancelled: string[] = [];
  if (request.ownerGone) {
    const repo = deps.catalog.forTenant(tenantId, signal).executions;
    const orphans: Execution[] = [];
    for (const state of IN_FLIGHT) {
      let after: string | undefined;
      do {
        const page = await repo.list({ limit: 100, ...(after ? { after } : {}) }, { state });
        orphans.push(...page.items.filter((e) => e.leaseOwner !== undefined && request.ownerGone!(e.leaseOwner)));
        after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
      } while (after);
    }
    for (const execution of orphans) {
      await deps.queue.cancel(
        tenantId,
        execution.id,
        `interrupted: the process running it ended while it was ${execution.state} (nothing was committed); the next run starts over`,
        signal,
      );
      cancelled.push(execution.id);
    }
  }
  const { expired } = await deps.queue.maintain(
    { tenantId, maxResumes: DEFAULT_MAX_RESUMES, workerTtlMs: 2 * RUN_LEASE_MS },
    signal,
  );
  const swept: string[] = [];
  // Nothing staged: no run was cut off between writing and committing (retention removes the
  // folders of deleted snapshots itself), so the lake folders need no listing.
  const staged = await deps.catalog.forTenant(tenantId, signal).snapshots.list({ limit: 1 }, { state: 'staged' });
  if (staged.items.length === 0) return { cancelled, expired, swept, scratch };
  for (const [product, d] of request.deployed) {
    const report = await sweepLake(
      deps,
      {
        tenantId,
        productId: d.productId,
        product,
        version: d.plan.product.version,
      },
      signal,
    );
    swept.push(...report.discarded);
  }
  return { cancelled, expired, swept, scratch };
}
