import { randomUUID } from 'node:crypto';
import { notFound } from '../../domain/errors.js';
import type { WorkerCapacity } from '../../domain/execution/resources.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { Logger } from '../../ports/logger.js';
import { generatePlans } from '../generate/generate-plans.js';
import type { ValidateResult } from '../validate/validate-workspace.js';
import type { ValidationDeps } from '../validate/validation-session.js';
import { productLogic, type ProductLogic } from '../transform/product-logic.js';
import { deployPlans } from './deploy-plans.js';
import { driveRun, type TriggeredElsewhere } from './drive-run.js';
import { productOrder } from './product-order.js';
import { recoverInterruptedRuns, type RecoverReport } from './recover-runs.js';
import { retryPendingProjections, type RetriedProjection } from '../serving/pending-projections.js';
import type { RunProductDeps } from './run-product.js';
import type { ProductRunReport, RunProgress } from './run-types.js';

export interface RunWorkspaceDeps extends Omit<RunProductDeps, 'connections' | 'catalog' | 'bus'> {
  readonly validation: ValidationDeps;
  readonly catalog: Catalog;
  readonly bus: EventBus;
  /** Correlation state: the run's DataAvailable events go through the correlation engine. */
  readonly correlations: CorrelationStore;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Embedded mode: whether a lease holder's process has ended (its executions are cancelled at once). */
  readonly leaseOwnerGone?: (leaseOwner: string) => boolean;
  /** The lease of each execution the run holds (HEKIMA_RUN_LEASE), heartbeated every third; default 60 s. */
  readonly runLeaseMs?: number;
}

export interface RunWorkspaceRequest {
  readonly root: string;
  readonly tenantId: string;
  /** Only this product and what it needs. */
  readonly product?: string;
  readonly onProgress?: (progress: RunProgress) => void;
  /** Products run at once, at most (`--concurrency`; default 1). */
  readonly concurrency?: number;
  /** What products in flight may ask for together (compute.yaml `resources`); default no limit. */
  readonly capacity?: WorkerCapacity;
  readonly signal: AbortSignal;
}

export type RunWorkspaceResult =
  | { readonly ok: false; readonly validation: ValidateResult }
  | {
      readonly ok: true;
      readonly runId: string;
      readonly validation: ValidateResult;
      readonly deployed: number;
      readonly redeployed: number;
      readonly products: readonly ProductRunReport[];
      /** Executions its events triggered for products outside `--product`'s selection (ready for workers). */
      readonly leftForWorkers: readonly TriggeredElsewhere[];
      /** What an interrupted earlier run left behind, cleaned up before this one started. */
      readonly recovered: RecoverReport;
      /** Serving projections that were pending (e.g. Redis was down) and were retried first. */
      readonly retriedProjections: readonly RetriedProjection[];
    };

/**
 * `hekima run`: validates (refuses on errors), deploys every plan, then runs the selection driven
 * by data.available events (`driveRun`). A product whose upstream failed or was skipped is skipped
 * with the reason.
 */
export async function runWorkspace(deps: RunWorkspaceDeps, request: RunWorkspaceRequest): Promise<RunWorkspaceResult> {
  const { signal } = request;
  const generated = await generatePlans(deps.validation, { signal });
  if (!generated.ok) return generated;
  const plans = generated.plans.map((p) => p.plan);
  if (request.product !== undefined && !plans.some((p) => p.product.name === request.product))
    throw notFound(
      'product_not_found',
      `No product named "${request.product}" in this workspace (products: ${plans.map((p) => p.product.name).join(', ')}).`,
    );
  const deployed = await deployPlans(deps, request.tenantId, plans, signal);
  const recovered = await recoverInterruptedRuns(deps, {
    root: request.root,
    tenantId: request.tenantId,
    deployed,
    ...(deps.leaseOwnerGone ? { ownerGone: deps.leaseOwnerGone } : {}),
    signal,
  });
  const retriedProjections = await retryPendingProjections(deps, request.tenantId, signal);
  // The index the plans were generated from (validated once).
  const index = generated.index;
  const logics = new Map<string, ProductLogic>();
  for (const s of index.summaries) if (s.name) logics.set(s.name, productLogic(s.unit));
  const runId = randomUUID();
  const driven = await driveRun(
    { ...deps, connections: index.config.connections, logger: deps.logger ?? SILENT },
    {
      root: request.root,
      runId,
      tenantId: request.tenantId,
      selection: productOrder(plans, request.product),
      deployed,
      logics,
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
      ...(request.capacity ? { capacity: request.capacity } : {}),
      signal,
    },
  );
  const changed = [...deployed.values()].filter((d) => d.changed).length;
  return {
    ok: true,
    runId,
    validation: generated.validation,
    deployed: deployed.size,
    redeployed: changed,
    products: driven.products,
    leftForWorkers: driven.leftForWorkers,
    recovered,
    retriedProjections,
  };
}

const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => SILENT,
};
