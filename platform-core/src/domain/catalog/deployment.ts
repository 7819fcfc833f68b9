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
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewDeployment {
  readonly productId: string;
  readonly productVersionId: string;
  readonly deployedBy?: string;
  readonly reason?: string;
}
