import type { Deployment } from '../../domain/catalog/deployment.js';
import type { ProductVersion } from '../../domain/catalog/product.js';
import type { JsonObject } from '../../domain/json.js';
import { invalidState, notFound } from '../../domain/errors.js';
import type { HashedPlan, ProductPlan } from '../../domain/plan/product-plan.js';
import type { Catalog } from '../../ports/catalog.js';
import { planOf } from '../orchestration/plan-manifests.js';

export interface DeployedPlan {
  readonly plan: HashedPlan;
  /** Column → its own classification in the deployed plan (undefined: the product's level). */
  readonly columnClassifications: Readonly<Record<string, string | undefined>>;
  /**
   * Where the plan came from: the deployment's recorded plan or the version row (`catalog`), or
   * the workspace, for a deployment from before plans were recorded (identical by hash).
   */
  readonly source: 'catalog' | 'workspace';
  /** The active deployment the plan is served under. */
  readonly deployment: Deployment;
  /**
   * How the workspace's current plan of the product compares (only when asked, `compareWorkspace`):
   * `same`, `differs` (edited since the deployment, not deployed: NOT what is served) or
   * `unavailable` (the workspace does not build it: missing, or validation errors).
   */
  readonly workspace?: 'same' | 'differs' | 'unavailable';
}

export interface DeployedPlanOptions {
  /** The workspace's current plan of the product (for a folder name, and for older deployments). */
  readonly workspacePlan?: () => Promise<HashedPlan | undefined>;
  /**
   * Also say whether the workspace's plan is the deployed one (`DeployedPlan.workspace`). Building
   * the workspace's plan validates the workspace (seconds in a cold process), so a function may
   * pre-check cheaply: it gets the deployment's instant and answers whether the workspace may have
   * changed since (false: not compared, `workspace` stays undefined).
   */
  readonly compareWorkspace?: boolean | ((deployedAt: string) => Promise<boolean>);
  readonly signal?: AbortSignal;
}

const PLAN_REASON = /^plan ([0-9a-f]{64})$/;

/**
 * The plan a product is SERVED under: the exact plan its active deployment recorded in the catalog,
 * never the workspace's current manifests (an edited but undeployed serving.yaml or output.yaml
 * classification must not change what a reader sees). A deployment from before plans were recorded
 * falls back to the plan its version row keeps, or to the workspace's plan when its hash is the one
 * the deployment's reason names. Otherwise the read is refused (InvalidState
 * `deployed_plan_unavailable`), fail closed.
 *
 * NotFound `product_never_run` when the product is not in this tenant's catalog, `product_not_deployed`
 * when it has no active deployment.
 */
export async function deployedPlan(
  catalog: Catalog,
  tenantId: string,
  name: string,
  options: DeployedPlanOptions = {},
): Promise<DeployedPlan> {
  const { signal } = options;
  const tenant = catalog.forTenant(tenantId, signal);
  let product = await tenant.products.getByName(name);
  let local: HashedPlan | undefined | null = null;
  const workspace = async () =>
    local === null
      ? (local = await (options.workspacePlan ?? (() => Promise.resolve(undefined)))().catch(() => undefined))
      : local;
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
  const found = await servedPlan(
    product.name,
    deployment,
    version,
    (hash) => tenant.deployments.plan(product.id, hash),
    workspace,
  );
  if (!found.plan)
    throw invalidState(
      'deployed_plan_unavailable',
      `The deployed plan of "${product.name}" (${found.wanted.slice(0, 12)}…) is not recorded in the catalog and the workspace ` +
        `no longer builds it (its manifests changed since the deployment). Deploy the edits with ` +
        `\`hekima run --product ${product.name}\`, or revert them; nothing is read under a plan that is not the served one.`,
      { details: { product: product.name, deployment: deployment.id, planHash: found.wanted } },
    );
  const out: DeployedPlan = { ...withClassifications(found.plan, found.source), deployment };
  const compare = options.compareWorkspace;
  if (!compare || (typeof compare === 'function' && !(await compare(deployment.createdAt)))) return out;
  const current = await workspace();
  const compared =
    current?.product.name !== product.name ? 'unavailable' : current.hash === found.plan.hash ? 'same' : 'differs';
  return { ...out, workspace: compared };
}

/** The plan of a deployment: the one it recorded, else (older rows) the version row's or the workspace's by hash. */
async function servedPlan(
  productName: string,
  deployment: Deployment,
  version: ProductVersion,
  recorded: (hash: string) => Promise<{ readonly plan: JsonObject } | undefined>,
  workspace: () => Promise<HashedPlan | undefined>,
): Promise<{ plan?: HashedPlan; source: DeployedPlan['source']; wanted: string }> {
  if (deployment.planHash !== undefined) {
    const stored = await recorded(deployment.planHash);
    const plan = stored ? planOf({ plan: stored.plan }) : undefined;
    return { ...(plan?.hash === deployment.planHash ? { plan } : {}), source: 'catalog', wanted: deployment.planHash };
  }
  const wanted = PLAN_REASON.exec(deployment.reason ?? '')?.[1] ?? version.planHash ?? version.manifestHash;
  const stored = storedPlans(version).find((p) => p.hash === wanted);
  if (stored) return { plan: stored, source: 'catalog', wanted };
  const fromWorkspace = await workspace();
  if (fromWorkspace?.hash === wanted && fromWorkspace.product.name === productName)
    return { plan: fromWorkspace, source: 'workspace', wanted };
  return { source: 'workspace', wanted };
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
function withClassifications(
  plan: HashedPlan,
  source: DeployedPlan['source'],
): Pick<DeployedPlan, 'plan' | 'columnClassifications' | 'source'> {
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
