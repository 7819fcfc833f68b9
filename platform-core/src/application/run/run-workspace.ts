import { randomUUID } from 'node:crypto';
import { notFound } from '../../domain/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';
import { generatePlans } from '../generate/generate-plans.js';
import type { ValidateResult } from '../validate/validate-workspace.js';
import { ValidationSession, type ValidationDeps } from '../validate/validation-session.js';
import { productLogic, type ProductLogic } from '../transform/product-logic.js';
import { deployPlans, type DeployedProduct } from './deploy-plans.js';
import { productOrder, upstreamOf } from './product-order.js';
import { runProduct, type RunProductDeps } from './run-product.js';
import type { ProductRunReport, RunProgress } from './run-types.js';

export interface RunWorkspaceDeps extends Omit<RunProductDeps, 'connections' | 'catalog' | 'bus'> {
  readonly validation: ValidationDeps;
  readonly catalog: Catalog;
  readonly bus: EventBus;
}

export interface RunWorkspaceRequest {
  readonly root: string;
  readonly tenantId: string;
  /** Only this product and what it needs. */
  readonly product?: string;
  readonly onProgress?: (progress: RunProgress) => void;
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
    };

/**
 * `hekima run`: validates (refuses on errors), deploys every plan, then runs the products in
 * dependency order. A product whose upstream failed or was skipped is skipped with the reason.
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
  const session = await ValidationSession.open(deps.validation, 'fast', signal);
  const index = session.workspaceIndex();
  const logics = new Map<string, ProductLogic>();
  for (const s of index.summaries) if (s.name) logics.set(s.name, productLogic(s.unit));
  const productIds = new Map([...deployed].map(([name, d]) => [name, d.productId]));
  const order = productOrder(plans, request.product);
  const runId = randomUUID();
  const reports = new Map<string, ProductRunReport>();
  for (const [i, plan] of order.entries()) {
    signal.throwIfAborted();
    const name = plan.product.name;
    request.onProgress?.({ type: 'start', product: name, index: i, total: order.length });
    const blocked = upstreamOf(plan)
      .map((u) => reports.get(u))
      .find((r) => r !== undefined && r.status !== 'succeeded');
    const report: ProductRunReport = blocked
      ? skippedBecause(name, blocked)
      : await runProduct(
          { ...deps, connections: index.config.connections },
          {
            root: request.root,
            runId,
            tenantId: request.tenantId,
            deployed: deployed.get(name) as DeployedProduct,
            logic: logics.get(name) as ProductLogic,
            productIds,
            signal,
          },
        );
    reports.set(name, report);
    request.onProgress?.({ type: 'done', report, index: i, total: order.length });
  }
  const changed = [...deployed.values()].filter((d) => d.changed).length;
  return {
    ok: true,
    runId,
    validation: generated.validation,
    deployed: deployed.size,
    redeployed: changed,
    products: [...reports.values()],
  };
}

function skippedBecause(product: string, upstream: ProductRunReport): ProductRunReport {
  return {
    product,
    status: 'skipped',
    checksPassed: 0,
    checksFailed: 0,
    endpoints: [],
    endpointNotes: [],
    ms: 0,
    reason: `upstream ${upstream.product} ${upstream.status === 'failed' ? 'failed' : 'was skipped'}${
      upstream.reason ? ` (${upstream.reason})` : ''
    }`,
  };
}
