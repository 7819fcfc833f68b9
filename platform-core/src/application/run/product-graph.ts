import type { DeployedProduct as DeployedVersion } from '../../domain/orchestration/subscription-map.js';
import { manifestOf } from '../../domain/orchestration/subscription-map.js';
import type { ProductPlan } from '../../domain/plan/product-plan.js';
import type { ProductNode } from '../../domain/quality/downstream-skips.js';
import { withPlanManifests } from '../orchestration/plan-manifests.js';

/** Each plan's product and the products it reads (its data_product inputs). */
export function graphOfPlans(plans: Iterable<ProductPlan>): ProductNode[] {
  return [...plans].map((plan) => ({
    name: plan.product.name,
    upstream: plan.inputs.flatMap((i) => (i.type === 'data_product' ? [i.upstream.product] : [])),
  }));
}

/** The same from the tenant's deployed versions (their recorded plan, else their manifests). */
export function graphOfDeployed(products: readonly DeployedVersion[]): ProductNode[] {
  return products.map((raw) => {
    const product = withPlanManifests(raw);
    const inputs = manifestOf(product.manifests, 'Inputs')?.['inputs'];
    const upstream = (Array.isArray(inputs) ? inputs : []).flatMap((input) => {
      const i = input as { type?: unknown; id?: unknown } | null;
      return i?.type === 'data_product' && typeof i.id === 'string' ? [i.id] : [];
    });
    return { name: product.productName, upstream };
  });
}
