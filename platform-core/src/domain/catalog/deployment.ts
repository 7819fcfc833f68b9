import { invalidArgument } from '../errors.js';
import type { JsonObject } from '../json.js';

/**
 * A deployment makes one product version the live one. At most one deployment per product is
 * `active`; deploying another version supersedes it in the same transaction.
 */
export const DEPLOYMENT_STATES = ['active', 'superseded', 'failed'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface Deployment {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly productVersionId: string;
  readonly state: DeploymentState;
  readonly deployedBy?: string;
  readonly reason?: string;
  /** Hash of the plan this deployment made live (recorded in the catalog); absent on older rows. */
  readonly planHash?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewDeployment {
  readonly productId: string;
  readonly productVersionId: string;
  readonly deployedBy?: string;
  readonly reason?: string;
  /** The exact plan deployed: stored once per product and hash, and named by the deployment. */
  readonly plan?: DeploymentPlanInput;
}

export interface DeploymentPlanInput {
  /** Lower-case hex SHA-256 of the plan (its `hash`). */
  readonly hash: string;
  readonly plan: JsonObject;
}

/** A plan as the catalog keeps it: immutable, once per tenant, product and hash. */
export interface DeploymentPlan extends DeploymentPlanInput {
  readonly productId: string;
  readonly createdAt: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** InvalidArgument `invalid_plan_hash` / `invalid_plan` for a plan that cannot be recorded. */
export function assertDeploymentPlan(input: DeploymentPlanInput): void {
  if (!SHA256_HEX.test(input.hash))
    throw invalidArgument(
      'invalid_plan_hash',
      'A deployed plan hash must be a lower-case hex SHA-256 (64 characters).',
      {
        details: { hash: input.hash },
      },
    );
  if (typeof input.plan !== 'object' || input.plan === null || Array.isArray(input.plan))
    throw invalidArgument('invalid_plan', 'A deployed plan must be a JSON object.');
  if (input.plan['hash'] !== undefined && input.plan['hash'] !== input.hash)
    throw invalidArgument('invalid_plan', `The plan's own hash is not the hash it is recorded under (${input.hash}).`, {
      details: { hash: input.hash },
    });
}
