import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/plan/canonical-json.js';
import type { HashedPlan, ProductPlan } from '../../domain/plan/product-plan.js';
import { summarize, type ValidateResult } from '../validate/validate-workspace.js';
import { ValidationSession, type ValidationDeps } from '../validate/validation-session.js';
import type { WorkspaceIndex } from '../validate/workspace-index.js';
import { buildPlan } from './build-plan.js';

export interface GenerateRequest {
  /** '' for every product, or a product folder relative to the root. */
  readonly scope?: string;
  readonly signal?: AbortSignal;
}

export interface PlanFile {
  readonly product: string;
  readonly version: string;
  /** Where the plan goes, relative to the plans folder: `<product>/<version>.json`. */
  readonly path: string;
  /** The canonical JSON text (the bytes to write). */
  readonly text: string;
  readonly plan: HashedPlan;
}

export type GenerateResult =
  | { readonly ok: false; readonly validation: ValidateResult }
  | {
      readonly ok: true;
      readonly validation: ValidateResult;
      readonly plans: readonly PlanFile[];
      /** The index the plans were built from (callers reuse it instead of validating again). */
      readonly index: WorkspaceIndex;
    };

/** SHA-256 (hex) of the plan's canonical JSON without its hash. */
export function planHash(plan: ProductPlan): string {
  return createHash('sha256').update(canonicalJson(plan, 0)).digest('hex');
}

export function hashPlan(plan: ProductPlan): HashedPlan {
  return { ...plan, hash: planHash(plan) };
}

/**
 * `hekima generate`: validates the workspace and, only when it has no errors, builds one plan
 * per product and version, as canonical JSON with its hash.
 */
export async function generatePlans(deps: ValidationDeps, request: GenerateRequest = {}): Promise<GenerateResult> {
  const session = await ValidationSession.open(deps, 'full', request.signal);
  const scope = request.scope ?? '';
  const validation = summarize(session.validateAll(request.signal), scope);
  if (!validation.valid) return { ok: false, validation };
  const index = session.workspaceIndex();
  const plans: PlanFile[] = [];
  for (const summary of index.summaries) {
    request.signal?.throwIfAborted();
    if (scope !== '' && summary.unit.folder !== scope) continue;
    const plan = hashPlan(buildPlan(index, summary));
    plans.push({
      product: plan.product.name,
      version: plan.product.version,
      path: `${plan.product.name}/${plan.product.version}.json`,
      text: canonicalJson(plan),
      plan,
    });
  }
  plans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, validation, plans, index };
}
