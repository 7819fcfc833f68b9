import { forbidden, invalidArgument, invalidState } from '../errors.js';
import { TENANT_PATTERN } from '../manifest/schemas/workspace-config.js';

/**
 * Tenants (manifest-format §18). The slug is lowercase letters, digits and hyphens, starts with a
 * letter, 3–63 characters, and never changes. States:
 *
 *   PROVISIONING ──▶ ACTIVE ◀──▶ SUSPENDED
 *        │             │             │
 *        └─────────────┴──▶ ARCHIVED ◀┘      (ARCHIVED is final)
 *
 * Only an ACTIVE tenant registers products, deploys and runs; a SUSPENDED tenant is read-only;
 * an ARCHIVED tenant has no access (its data is kept per policy). The same table of transitions is
 * enforced by a trigger in the catalog database (migration 001).
 */
export const TENANT_STATES = ['PROVISIONING', 'ACTIVE', 'SUSPENDED', 'ARCHIVED'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

export const TENANT_TRANSITIONS: Readonly<Record<TenantState, readonly TenantState[]>> = {
  PROVISIONING: ['ACTIVE', 'ARCHIVED'],
  ACTIVE: ['SUSPENDED', 'ARCHIVED'],
  SUSPENDED: ['ACTIVE', 'ARCHIVED'],
  ARCHIVED: [],
};

/** The same pattern hekima.yaml's `tenant` uses. */
export const TENANT_SLUG_PATTERN = new RegExp(TENANT_PATTERN);

export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly displayName: string;
  readonly state: TenantState;
  /** Why the tenant entered its current state (for SUSPENDED and ARCHIVED). */
  readonly stateReason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewTenant {
  readonly slug: string;
  readonly displayName?: string;
}

export function isTenantSlug(slug: string): boolean {
  return TENANT_SLUG_PATTERN.test(slug);
}

/** Throws InvalidArgument `invalid_tenant_slug` unless the slug follows the rules. */
export function assertTenantSlug(slug: string): void {
  if (!isTenantSlug(slug)) {
    throw invalidArgument(
      'invalid_tenant_slug',
      `Tenant slug "${slug}" is invalid: use 3–63 lowercase letters, digits or hyphens, starting with a letter.`,
      { details: { slug } },
    );
  }
}

export function canTransition(from: TenantState, to: TenantState): boolean {
  return TENANT_TRANSITIONS[from].includes(to);
}

/** Throws InvalidState `invalid_tenant_transition` for a move the state machine forbids. */
export function assertTenantTransition(from: TenantState, to: TenantState): void {
  if (!canTransition(from, to)) {
    const allowed = TENANT_TRANSITIONS[from];
    throw invalidState(
      'invalid_tenant_transition',
      `A ${from} tenant cannot become ${to}` +
        (allowed.length ? ` (allowed: ${allowed.join(', ')}).` : ' (it is final).'),
      { details: { from, to } },
    );
  }
}

function assertActive(tenant: Pick<Tenant, 'slug' | 'state'>, action: string): void {
  if (tenant.state === 'ACTIVE') return;
  throw forbidden(
    `tenant_${tenant.state.toLowerCase()}`,
    `Tenant "${tenant.slug}" is ${tenant.state}: it cannot ${action}.`,
    {
      details: { tenant: tenant.slug, state: tenant.state },
    },
  );
}

/** Deploy-time guard (also covers registering products and versions). Forbidden `tenant_<state>`. */
export function assertCanDeploy(tenant: Pick<Tenant, 'slug' | 'state'>): void {
  assertActive(tenant, 'deploy');
}

/** Run-time guard: creating, claiming or resuming an execution. Forbidden `tenant_<state>`. */
export function assertCanRun(tenant: Pick<Tenant, 'slug' | 'state'>): void {
  assertActive(tenant, 'run executions');
}

/** Read guard: everything but ARCHIVED may read its own data. Forbidden `tenant_archived`. */
export function assertCanRead(tenant: Pick<Tenant, 'slug' | 'state'>): void {
  if (tenant.state === 'ARCHIVED') assertActive(tenant, 'be accessed');
}
