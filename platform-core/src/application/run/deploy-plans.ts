import type { JsonObject } from '../../domain/json.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';

/** A product version as deployed in the catalog. */
export interface DeployedProduct {
  readonly plan: HashedPlan;
  readonly productId: string;
  readonly productVersionId: string;
  readonly deploymentId: string;
  /** False when this plan (by hash) was already the active deployment. */
  readonly changed: boolean;
}

/**
 * Deploys each plan: registers the product and the version, records the plan (once per hash) and
 * makes it the active deployment with a ProductDeployed event, in one transaction per product.
 * Idempotent: a plan whose hash is already the active deployment's writes nothing. An active
 * deployment from before plans were recorded (no `planHash`) is redeployed once, so that its plan
 * is recorded from then on.
 */
export async function deployPlans(
  deps: { readonly catalog: Catalog; readonly bus: EventBus },
  tenantId: string,
  plans: readonly HashedPlan[],
  signal?: AbortSignal,
): Promise<Map<string, DeployedProduct>> {
  const out = new Map<string, DeployedProduct>();
  for (const plan of plans) {
    signal?.throwIfAborted();
    const name = plan.product.name;
    const deployed = await deps.catalog.transaction(
      tenantId,
      async (tx) => {
        const product =
          (await tx.products.getByName(name)) ??
          (await tx.products.register({ name, ...(plan.product.domain ? { domain: plan.product.domain } : {}) }));
        const versions = (await tx.products.listVersions(product.id, { limit: 100 })).items;
        // The version row keeps the plan it was first deployed with (its identity and the
        // subscription map's fallback); every deployment records its own exact plan, so a later
        // plan under the same version (edited manifests, an upstream's new version) is a new
        // deployment of that plan. Re-running the same plan writes nothing.
        const version =
          versions.find((v) => v.version === plan.product.version) ??
          (await tx.products.addVersion({
            productId: product.id,
            version: plan.product.version,
            manifests: { plan } as unknown as JsonObject,
            manifestHash: plan.hash,
          }));
        const active = await tx.deployments.active(product.id);
        if (active && active.productVersionId === version.id && active.planHash === plan.hash)
          return { plan, productId: product.id, productVersionId: version.id, deploymentId: active.id, changed: false };
        const deployment = await tx.deployments.create({
          productId: product.id,
          productVersionId: version.id,
          deployedBy: 'hekima run',
          reason: `plan ${plan.hash}`,
          plan: { hash: plan.hash, plan: plan as unknown as JsonObject },
        });
        await deps.bus.publish(tx, {
          eventType: 'ProductDeployed',
          product: name,
          productId: product.id,
          payload: {
            product_id: product.id,
            product_name: name,
            version: plan.product.version,
            manifest_hash: plan.hash,
          },
        });
        return {
          plan,
          productId: product.id,
          productVersionId: version.id,
          deploymentId: deployment.id,
          changed: true,
        };
      },
      signal,
    );
    out.set(name, deployed);
  }
  return out;
}
