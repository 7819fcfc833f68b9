import { invalidState, notFound } from '../../domain/errors.js';
import type { ProductPlan } from '../../domain/plan/product-plan.js';
import { buildPlan } from '../generate/build-plan.js';
import { summarize } from '../validate/validate-workspace.js';
import { ValidationSession, type ValidationDeps } from '../validate/validation-session.js';

export interface ServingPlan {
  readonly plan: ProductPlan;
  /** Column → classification from output.yaml (undefined: the column has none). */
  readonly columnClassifications: Readonly<Record<string, string | undefined>>;
}

/**
 * The plan of one product of the workspace and its column classifications, for serving and
 * `hekima query`. Refused (InvalidState `product_invalid`) while the product has validation errors.
 */
export async function servingPlan(deps: ValidationDeps, product: string, signal?: AbortSignal): Promise<ServingPlan> {
  const session = await ValidationSession.open(deps, 'full', signal);
  const index = session.workspaceIndex();
  const summary = index.product(product) ?? index.summaries.find((s) => s.unit.folder === product);
  if (!summary)
    throw notFound(
      'product_not_found',
      `No product named "${product}" in this workspace (products: ${index.names().sort().join(', ')}).`,
    );
  const validation = summarize(session.validateAll(signal), summary.unit.folder);
  if (!validation.valid)
    throw invalidState(
      'product_invalid',
      `Product "${product}" has validation errors: run \`hekima validate\` first.`,
      {
        details: { errors: validation.errors.length },
      },
    );
  return {
    plan: buildPlan(index, summary),
    columnClassifications: Object.fromEntries([...summary.columns.values()].map((c) => [c.name, c.classification])),
  };
}
