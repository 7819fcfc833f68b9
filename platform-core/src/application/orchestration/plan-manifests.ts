import type { JsonObject } from '../../domain/json.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import { manifestOf, type DeployedProduct } from '../../domain/orchestration/subscription-map.js';

/**
 * `hekima run` deploys a product version with its plan (`manifests: { plan }`), not the raw
 * manifests. The subscription map reads the `Inputs` and `Compute` manifests; this gives it their
 * equivalent from the plan (data_product inputs with timeout, fallback, optional, partition
 * mapping and version range; schedule, resources and retry), so plan-deployed products are
 * correlated exactly like manifest-deployed ones. Products that carry manifests are left alone.
 */
export function withPlanManifests(product: DeployedProduct): DeployedProduct {
  const plan = planOf(product.manifests);
  if (!plan || manifestOf(product.manifests, 'Inputs')) return product;
  return { ...product, manifests: { ...product.manifests, ...manifestsOfPlan(plan) } };
}

/** The deployed plan kept on a product version row, if that is what the row holds. */
export function planOf(manifests: JsonObject): HashedPlan | undefined {
  const plan = manifests['plan'];
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) return undefined;
  const candidate = plan as unknown as Partial<HashedPlan>;
  return Array.isArray(candidate.inputs) && typeof candidate.product === 'object'
    ? (candidate as HashedPlan)
    : undefined;
}

export function manifestsOfPlan(plan: HashedPlan): { Inputs: JsonObject; Compute: JsonObject } {
  const inputs = plan.inputs.flatMap((i): JsonObject[] =>
    i.type === 'data_product'
      ? [
          {
            id: i.upstream.product,
            type: 'data_product',
            version: i.upstream.range,
            timeout: i.timeout,
            fallback: i.fallback,
            optional: i.optional,
            ...(i.partition_mapping ? { partition_mapping: i.partition_mapping } : {}),
          },
        ]
      : [],
  );
  return {
    Inputs: { kind: 'Inputs', inputs },
    Compute: {
      kind: 'Compute',
      schedule: { type: plan.schedule.type },
      resources: { cpu: `${plan.resources.cpu_millis}m`, memory: String(plan.resources.memory_bytes) },
      retry: {
        max_attempts: plan.retry.max_attempts,
        backoff: plan.retry.backoff,
        initial_delay: plan.retry.initial_delay,
      },
    },
  };
}
