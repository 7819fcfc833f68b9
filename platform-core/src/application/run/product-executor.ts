import { downstreamOf } from '../../domain/quality/quality-events.js';
import { graphOfDeployed } from './product-graph.js';
import { invalidState, isHekimaError, isRetryable, permanent } from '../../domain/errors.js';
import { decideRetry } from '../../domain/execution/execution-retry.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import type { ExecutionExecutor } from '../executions/execution-worker-options.js';
import type { RunOutcome } from '../executions/run-execution.js';
import { planOf } from '../orchestration/plan-manifests.js';
import type { DeployedProduct } from './deploy-plans.js';
import { projectSnapshot } from '../serving/project-snapshot.js';
import { logicFromPlan } from './plan-logic.js';
import { executeProduct, type RunProductDeps } from './run-product.js';

export interface ProductExecutorDeps extends RunProductDeps {
  readonly correlations: CorrelationStore;
  readonly logger: Logger;
  /** Workspace root: Python logic and custom_python checks are resolved under it. */
  readonly root: string;
  /**
   * The workspace's current plans by product name (optional): used only for an active deployment
   * from before plans were recorded whose plan is not the version row's, and only if the hash matches.
   */
  readonly workspacePlans?: () => Promise<ReadonlyMap<string, HashedPlan>>;
}

const PLAN_REASON = /^plan ([0-9a-f]{64})$/;

/**
 * The product step runner for `hekima worker`: executes a leased execution of a deployed product
 * (whatever triggered it: the correlation engine, `hekima run`, an API) with `executeProduct`, the
 * code `hekima run` uses. The plan is the one the deployment recorded in the catalog (the active
 * one of the execution's version; deployments from before plans were recorded: the version row's,
 * or the workspace's plan when its hash is the active deployment's); the logic comes from the plan.
 * A retryable failure retries per compute.yaml `retry` (the execution goes back to `ready` for a
 * later attempt that starts from the beginning; the failed attempt's staged snapshot is discarded
 * first, and nothing else of it was committed); once attempts are used up the execution fails with
 * them in the reason. Errors before the product could run retry or fail the same way; a lost lease
 * changes nothing; a stopping worker releases the execution to another worker.
 */
export function productExecutor(deps: ProductExecutorDeps): ExecutionExecutor {
  return async (lease, { signal, stopping }): Promise<RunOutcome> => {
    const e = lease.execution;
    const log = deps.logger.child({ executionId: e.id, tenantId: e.tenantId });
    let retrying = false;
    let exhausted: string | undefined;
    try {
      const products = await deps.correlations.deployedProducts(e.tenantId, signal);
      const productIds = new Map(products.map((p) => [p.productName, p.productId]));
      const deployed = await deployedOf(deps, lease, signal);
      if (lease.resumed || e.attempt > 1) {
        // An earlier attempt that committed (then failed, or crashed, before `succeeded`) is not
        // run again: its snapshot is visible and its DataAvailable went out with it.
        if (await finishCommitted(deps, lease, deployed, signal, log)) return 'succeeded';
        // One that crashed may have left its staged snapshot: the sweep would wait an hour for it
        // (server mode); this execution's lease is ours, so it is safe to drop now.
        await discardStaged(deps, lease, signal, log);
      }
      const done = await executeProduct(deps, lease, {
        root: deps.root,
        tenantId: e.tenantId,
        deployed,
        logic: logicFromPlan(deployed.plan),
        productIds,
        signal,
        downstream: downstreamOf(deployed.plan.product.name, graphOfDeployed(products)),
        retry: async (error) => {
          // The failed attempt's staged snapshot must never become visible: discard it while the
          // lease is still ours (the next attempt writes its own).
          await discardStaged(deps, lease, signal, log);
          const decision = decideRetry(lease.retryPolicy, Math.max(1, e.attempt), error);
          if (!decision.retry) {
            // Retries exhausted: say so in the reason (executeProduct's own finish then finds the
            // lease settled and changes nothing).
            if (isRetryable(error)) {
              exhausted = `${error.message} (${decision.reason})`;
              await lease.finish('failed', exhausted, error.toJSON(), signal);
            }
            return undefined;
          }
          await lease.retryLater(error.toJSON(), decision.delayMs, `${decision.reason}: ${error.message}`, signal);
          retrying = true;
          log.info('attempt failed; retry scheduled', { error: error.code, delayMs: decision.delayMs });
          return decision.reason;
        },
      });
      log.info('product execution finished', {
        product: done.report.product,
        status: done.report.status,
        rows: done.report.rows,
        reason: exhausted ?? done.report.reason,
      });
      return done.report.status === 'succeeded' ? 'succeeded' : retrying ? 'retrying' : 'failed';
    } catch (error) {
      if (signal.aborted) return settleAborted(lease, signal, stopping);
      const failure = isHekimaError(error)
        ? error
        : permanent('step_crashed', error instanceof Error ? error.message : String(error));
      // E.g. the catalog unreachable for a moment: retried per compute.yaml as a failed run is.
      const decision = decideRetry(lease.retryPolicy, Math.max(1, e.attempt), failure);
      try {
        if (decision.retry)
          await lease.retryLater(failure.toJSON(), decision.delayMs, `${decision.reason}: ${failure.message}`);
        else {
          const why = isRetryable(failure) ? `${failure.message} (${decision.reason})` : failure.message;
          await lease.finish('failed', why, failure.toJSON());
        }
      } catch {
        return 'lost';
      }
      log.warn('product execution failed before it ran', { error: failure.code, retrying: decision.retry });
      return decision.retry ? 'retrying' : 'failed';
    }
  };
}

/**
 * Resumes after the commit: when an earlier attempt of this execution committed a snapshot, only
 * the serving projection (if that snapshot is still the current one) and `succeeded` are left.
 * Re-running it would commit a second snapshot and publish DataAvailable twice.
 */
async function finishCommitted(
  deps: ProductExecutorDeps,
  lease: ExecutionLease,
  deployed: DeployedProduct,
  signal: AbortSignal,
  log: Logger,
): Promise<boolean> {
  const e = lease.execution;
  const snapshots = deps.catalog.forTenant(e.tenantId, signal).snapshots;
  const [current] = await snapshots.visible(e.productId, 1);
  const committed =
    current?.executionId === e.id
      ? current
      : (await snapshots.visible(e.productId, 20)).find((s) => s.executionId === e.id);
  if (!committed) return false;
  const earlier = `snapshot ${committed.id} was committed by an earlier attempt`;
  await lease.advance('checking', `${earlier}; not computed again`, signal);
  await lease.advance('promoting', `${earlier}; serving`, signal);
  if (committed.id === current?.id)
    await projectSnapshot(
      deps,
      { tenantId: e.tenantId, productId: e.productId, plan: deployed.plan, snapshotId: committed.id },
      signal,
    );
  await lease.finish('succeeded', `${committed.rowCount ?? 0} rows; ${earlier}`, undefined, signal);
  log.info('product execution finished', {
    product: deployed.plan.product.name,
    status: 'succeeded',
    rows: committed.rowCount,
    reason: earlier,
  });
  return true;
}

/**
 * Discards the snapshots this execution left `staged` (row discarded, folder removed): a failed
 * attempt's output, or a crashed one's. Only while the lease is held (never after a release: the
 * next owner's staged snapshot carries the same execution id). Failures are logged, not thrown:
 * the lake sweep removes what is left.
 */
async function discardStaged(deps: ProductExecutorDeps, lease: ExecutionLease, signal: AbortSignal, log: Logger) {
  const e = lease.execution;
  try {
    // Fenced: throws `lease_lost` when another worker owns the execution (and its staged snapshot).
    await lease.heartbeat(signal);
    const snapshots = deps.catalog.forTenant(e.tenantId, signal).snapshots;
    const staged = await snapshots.list({ limit: 100 }, { productId: e.productId, state: 'staged' });
    for (const snapshot of staged.items.filter((s) => s.executionId === e.id)) {
      await snapshots.discard(snapshot.id);
      await deps.lake.remove(snapshot.location, signal);
      log.info('staged snapshot of a failed attempt discarded', { snapshotId: snapshot.id });
    }
  } catch (error) {
    if (isHekimaError(error) && error.code === 'lease_lost') return;
    log.warn('could not discard staged snapshots; the lake sweep will', { error: String(error) });
  }
}

async function settleAborted(lease: ExecutionLease, signal: AbortSignal, stopping: () => boolean): Promise<RunOutcome> {
  const reason: unknown = signal.reason;
  if (isHekimaError(reason) && reason.code === 'lease_lost') return 'lost';
  if (!stopping()) return 'lost';
  try {
    await lease.release(`worker ${lease.workerId} stopped; another worker runs it`);
    return 'released';
  } catch {
    return 'lost';
  }
}

async function deployedOf(deps: ProductExecutorDeps, lease: ExecutionLease, signal: AbortSignal) {
  const e = lease.execution;
  const tenant = deps.catalog.forTenant(e.tenantId, signal);
  const version = await tenant.products.getVersion(e.productVersionId);
  const product = await tenant.products.get(e.productId);
  const active = await tenant.deployments.active(e.productId);
  // The version as deployed now: the active deployment when it is of this version (a redeployed
  // edit supersedes the plan an older execution was queued under), else the execution's own.
  const deployment =
    active?.productVersionId === e.productVersionId
      ? active
      : e.deploymentId
        ? await tenant.deployments.get(e.deploymentId)
        : undefined;
  const recorded = deployment?.planHash ? await tenant.deployments.plan(e.productId, deployment.planHash) : undefined;
  const stored = recorded ? planOf({ plan: recorded.plan }) : version ? planOf(version.manifests) : undefined;
  if (!version || !product || !stored)
    throw invalidState(
      'plan_not_deployed',
      `Execution ${e.id}: product version ${e.productVersionId} has no deployed plan: deploy it with \`hekima run\`.`,
    );
  // Deployments from before plans were recorded name their plan only by hash (reason `plan <hash>`).
  const wanted = recorded
    ? undefined
    : active?.productVersionId === version.id
      ? PLAN_REASON.exec(active.reason ?? '')?.[1]
      : undefined;
  let plan: HashedPlan = stored;
  if (wanted && wanted !== stored.hash) {
    const local = (await deps.workspacePlans?.())?.get(product.name);
    if (local?.hash !== wanted)
      throw invalidState(
        'deployed_plan_unavailable',
        `Execution ${e.id}: the active deployment of ${product.name} is plan ${wanted.slice(0, 12)}…, which neither the catalog nor this worker's workspace has: run the worker in the workspace that deployed it (--workspace) or redeploy.`,
      );
    plan = local;
  }
  const deployed: DeployedProduct = {
    plan,
    productId: e.productId,
    productVersionId: e.productVersionId,
    deploymentId: e.deploymentId ?? active?.id ?? '',
    changed: false,
  };
  return deployed;
}
