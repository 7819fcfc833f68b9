import { assertTenantSlug, type Tenant, type TenantState } from '../../domain/catalog/tenant.js';
import { invalidState, notFound } from '../../domain/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Page, PageRequest } from '../../domain/pagination.js';

/**
 * Tenant administration (the control plane's use cases, `hekima tenant` and `hekima setup`):
 * creating a tenant makes it ACTIVE at once (PROVISIONING has nothing to wait for here).
 */

/** Creates an ACTIVE tenant; Conflict `tenant_exists` when the slug is taken. */
export async function createTenant(
  catalog: Catalog,
  input: { readonly slug: string; readonly displayName?: string },
  reason: string,
  signal?: AbortSignal,
): Promise<Tenant> {
  assertTenantSlug(input.slug);
  const created = await catalog.tenants.create(
    { slug: input.slug, ...(input.displayName ? { displayName: input.displayName } : {}) },
    signal,
  );
  return catalog.tenants.transition(created.id, 'ACTIVE', reason, signal);
}

/**
 * The tenant `slug`, created (ACTIVE) when the catalog has none: `created` says which. An existing
 * tenant is returned as it is, whatever its state (setting up never resumes a suspended tenant);
 * one left PROVISIONING is activated.
 */
export async function ensureTenant(
  catalog: Catalog,
  slug: string,
  reason: string,
  signal?: AbortSignal,
): Promise<{ tenant: Tenant; created: boolean }> {
  assertTenantSlug(slug);
  const found = await catalog.tenants.getBySlug(slug, signal);
  if (!found) return { tenant: await createTenant(catalog, { slug }, reason, signal), created: true };
  if (found.state === 'PROVISIONING')
    return { tenant: await catalog.tenants.transition(found.id, 'ACTIVE', reason, signal), created: false };
  return { tenant: found, created: false };
}

/** Moves the tenant `slug` to SUSPENDED (read-only) or back to ACTIVE, with the reason recorded. */
export async function setTenantState(
  catalog: Catalog,
  slug: string,
  to: Extract<TenantState, 'ACTIVE' | 'SUSPENDED'>,
  reason: string,
  signal?: AbortSignal,
): Promise<Tenant> {
  const tenant = await catalog.tenants.getBySlug(slug, signal);
  if (!tenant) throw notFound('tenant_not_found', `No tenant "${slug}" in the catalog.`, { details: { slug } });
  if (tenant.state === to)
    throw invalidState('tenant_unchanged', `Tenant "${slug}" is already ${to}.`, { details: { slug, state: to } });
  return catalog.tenants.transition(tenant.id, to, reason, signal);
}

/** Tenants, newest first, optionally in one state. */
export function listTenants(
  catalog: Catalog,
  page: PageRequest,
  state?: TenantState,
  signal?: AbortSignal,
): Promise<Page<Tenant>> {
  return catalog.tenants.list(page, state ? { state } : {}, signal);
}
