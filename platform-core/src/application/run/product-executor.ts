import { invalidState, isHekimaError, permanent } from '../../domain/errors.js';
import { decideRetry } from '../../domain/execution/execution-retry.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import type { ExecutionExecutor } from '../executions/execution-worker-options.js';
import type { RunOutcome } from '../executions/run-execution.js';
import { planOf } from '../orchestration/plan-manifests.js';
import type { DeployedProduct } from './deploy-plans.js';
import { logicFromPlan } from './plan-logic.js';
import { executeProduct, type RunProductDeps } from './run-product.js';

export interface ProductExecutorDeps extends RunProductDeps {
  readonly correlations: CorrelationStore;
  readonly logger: Logger;
  /** Workspace root: Python logic and custom_python checks are resolved under it. */
  readonly root: string;
  /**
   * The workspace's current plans by product name (optional): used when the active deployment is
   * a later plan of a version than the one its catalog row keeps, and only if the hash matches.
   */
  readonly workspacePlans?: () => Promise<ReadonlyMap<string, HashedPlan>>;
}

const PLAN_REASON = /^plan ([0-9a-f]{64})$/;

/**
 * The product step runner for `hekima worker`: executes a leased execution of a deployed product
 * (whatever triggered it: the correlation engine, `hekima run`, an API) with `executeProduct`, the
 * code `hekima run` uses. The plan is the deployed one (the catalog's version row, or the
 * workspace's plan when its hash is the active deployment's); the logic comes from the plan.
 * A retryable failure retries per compute.yaml `retry` (the execution goes back to `ready` for a
 * later attempt); errors before the product could run fail the execution with the reason; a lost
 * lease changes nothing; a stopping worker releases the execution to another worker.
 */
export function productExecutor(deps: ProductExecutorDeps): ExecutionExecutor {
  return async (lease, { signal, stopping }): Promise<RunOutcome> => {
    const e = lease.execution;
    const log = deps.logger.child({ executionId: e.id, tenantId: e.tenantId });
    let retrying = false;
    try {
      const products = await deps.correlations.deployedProducts(e.tenantId, signal);
      const productIds = new Map(products.map((p) => [p.productName, p.productId]));
      const deployed = await deployedOf(deps, lease, signal);
      const done = await executeProduct(deps, lease, {
        root: deps.root,
        tenantId: e.tenantId,
        deployed,
        logic: logicFromPlan(deployed.plan),
        productIds,
        signal,
        retry: async (error) => {
          const decision = decideRetry(lease.retryPolicy, Math.max(1, e.attempt), error);
          if (!decision.retry) return undefined;
          await lease.retryLater(error.toJSON(), decision.delayMs, decision.reason);
          retrying = true;
          return decision.reason;
        },
      });
      log.info('product execution finished', {
        product: done.report.product,
        status: done.report.status,
        rows: done.report.rows,
        reason: done.report.reason,
      });
      return done.report.status === 'succeeded' ? 'succeeded' : retrying ? 'retrying' : 'failed';
    } catch (error) {
      if (signal.aborted) return settleAborted(lease, signal, stopping);
      const failure = isHekimaError(error)
        ? error
        : permanent('step_crashed', error instanceof Error ? error.message : String(error));
      await lease.finish('failed', failure.message, failure.toJSON()).catch(() => undefined);
      log.warn('product execution failed before it ran', { error: failure.code });
      return 'failed';
    }
  };
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
  const stored = version ? planOf(version.manifests) : undefined;
  if (!version || !product || !stored)
    throw invalidState(
      'plan_not_deployed',
      `Execution ${e.id}: product version ${e.productVersionId} has no deployed plan: deploy it with \`hekima run\`.`,
    );
  const active = await tenant.deployments.active(e.productId);
  const wanted = active?.productVersionId === version.id ? PLAN_REASON.exec(active.reason ?? '')?.[1] : undefined;
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
