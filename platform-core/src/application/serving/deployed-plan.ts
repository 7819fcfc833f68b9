import type { ProductVersion } from '../../domain/catalog/product.js';
import { invalidState, notFound } from '../../domain/errors.js';
import type { HashedPlan, ProductPlan } from '../../domain/plan/product-plan.js';
import type { Catalog } from '../../ports/catalog.js';
import { planOf } from '../orchestration/plan-manifests.js';

export interface DeployedPlan {
  readonly plan: HashedPlan;
  /** Column → its own classification in the deployed plan (undefined: the product's level). */
  readonly columnClassifications: Readonly<Record<string, string | undefined>>;
  /** Where the plan came from: the catalog's version row, or the workspace (identical by hash). */
  readonly source: 'catalog' | 'workspace';
}

const PLAN_REASON = /^plan ([0-9a-f]{64})$/;

/**
 * The plan a product is SERVED under: the one of its active deployment in the catalog, never the
 * workspace's current manifests (an edited but undeployed serving.yaml or output.yaml classification
 * must not change what a reader sees). The catalog's version row keeps the plan the version was first
 * deployed with; when the active deployment is a later plan of the same version (its reason names
 * the hash), the workspace's plan is accepted only if its hash is that one. Otherwise the read is
 * refused (InvalidState `deployed_plan_unavailable`), fail closed.
 *
 * NotFound `product_never_run` when the product is not in this tenant's catalog, `product_not_deployed`
 * when it has no active deployment.
 */
export async function deployedPlan(
  catalog: Catalog,
  tenantId: string,
  name: string,
  workspacePlan: () => Promise<HashedPlan | undefined> = () => Promise.resolve(undefined),
  signal?: AbortSignal,
): Promise<DeployedPlan> {
  const tenant = catalog.forTenant(tenantId, signal);
  let product = await tenant.products.getByName(name);
  let local: HashedPlan | undefined | null = null;
  const workspace = async () => (local === null ? (local = await workspacePlan().catch(() => undefined)) : local);
  if (!product) {
    // The argument may be the product's folder: the workspace knows its metadata.name.
    const named = (await workspace())?.product.name;
    if (named !== undefined && named !== name) product = await tenant.products.getByName(named);
  }
  if (!product)
    throw notFound(
      'product_never_run',
      `Product "${name}" has never been run here: it has no committed snapshot to query.`,
      {
        details: { product: name },
      },
    );
  const deployment = await tenant.deployments.active(product.id);
  const version = deployment ? await tenant.products.getVersion(deployment.productVersionId) : undefined;
  if (!deployment || !version)
    throw notFound(
      'product_not_deployed',
      `Product "${product.name}" has no active deployment here: run \`hekima run --product ${product.name}\` to deploy it.`,
      { details: { product: product.name } },
    );
  const wanted = PLAN_REASON.exec(deployment.reason ?? '')?.[1] ?? version.planHash ?? version.manifestHash;
  const stored = storedPlans(version).find((p) => p.hash === wanted);
  if (stored) return withClassifications(stored, 'catalog');
  const fromWorkspace = await workspace();
  if (fromWorkspace?.hash === wanted && fromWorkspace.product.name === product.name)
    return withClassifications(fromWorkspace, 'workspace');
  throw invalidState(
    'deployed_plan_unavailable',
    `The deployed plan of "${product.name}" (${wanted.slice(0, 12)}…) is not recorded in the catalog and the workspace ` +
      `no longer builds it (its manifests changed since the deployment). Deploy the edits with ` +
      `\`hekima run --product ${product.name}\`, or revert them; nothing is read under a plan that is not the served one.`,
    { details: { product: product.name, deployment: deployment.id, planHash: wanted } },
  );
}

function storedPlans(version: ProductVersion): HashedPlan[] {
  const out: HashedPlan[] = [];
  const column = version.plan ? planOf({ plan: version.plan }) : undefined;
  if (column) out.push(column);
  const manifests = planOf(version.manifests);
  if (manifests) out.push(manifests);
  return out;
}

/**
 * Column classifications of a plan. A plan from before columns carried their classification gives
 * every column the product's level (at least as high as any column's: the high-water mark rule),
 * so masking stays closed.
 */
function withClassifications(plan: HashedPlan, source: DeployedPlan['source']): DeployedPlan {
  return { plan, columnClassifications: classificationsOf(plan), source };
}

export function classificationsOf(plan: ProductPlan): Record<string, string | undefined> {
  return Object.fromEntries(
    plan.output.columns.map((c) => [
      c.name,
      c.classification === undefined ? (plan.product.classification ?? undefined) : (c.classification ?? undefined),
    ]),
  );
}
