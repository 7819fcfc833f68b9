import type { Tenant } from '../../domain/catalog/tenant.js';
import { isTenantSlug } from '../../domain/catalog/tenant.js';
import { invalidArgument, notFound } from '../../domain/errors.js';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import { DEFAULT_MAX_FILE_BYTES, formatBytes } from '../../domain/manifest/file-limits.js';
import type { Catalog } from '../../ports/catalog.js';
import type { DocumentParser } from '../../ports/source-document.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';

/**
 * The text of hekima.yaml, measured before it is read: over the default limit (1 MiB) it is refused
 * (InvalidArgument `file_too_large`), never read whole. Undefined when there is none.
 */
export async function readWorkspaceConfigText(files: WorkspaceFiles): Promise<string | undefined> {
  const bytes = await files.size(WORKSPACE_CONFIG_FILE);
  if (bytes === undefined) return undefined;
  if (bytes > DEFAULT_MAX_FILE_BYTES)
    throw invalidArgument(
      'file_too_large',
      `${WORKSPACE_CONFIG_FILE} is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(DEFAULT_MAX_FILE_BYTES)} limit: it was not read. ` +
        'Shrink it (it holds the tenant, teams and connections only), or pass --tenant.',
      { details: { file: WORKSPACE_CONFIG_FILE, bytes, limit: DEFAULT_MAX_FILE_BYTES } },
    );
  return files.read(WORKSPACE_CONFIG_FILE);
}

/** The `tenant:` of the workspace's hekima.yaml, if it declares one. */
export async function workspaceTenantSlug(files: WorkspaceFiles, parser: DocumentParser): Promise<string | undefined> {
  const text = await readWorkspaceConfigText(files);
  if (text === undefined) return undefined;
  const value = parser.parse(text).value;
  const tenant = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['tenant'] : undefined;
  return typeof tenant === 'string' ? tenant : undefined;
}

export interface ResolveTenantOptions {
  /**
   * Embedded mode: a workspace's tenant that the catalog does not know yet is provisioned and
   * activated on first use (the workspace owns its embedded catalog). Server mode: never — tenants
   * are created by the control plane, and an unknown slug is NotFound `tenant_not_found`.
   */
  readonly provision: boolean;
  readonly signal?: AbortSignal;
}

export async function resolveWorkspaceTenant(
  catalog: Catalog,
  slug: string | undefined,
  options: ResolveTenantOptions,
): Promise<Tenant> {
  if (slug === undefined) {
    throw invalidArgument(
      'tenant_missing',
      `${WORKSPACE_CONFIG_FILE} declares no tenant: add \`tenant: <slug>\` or pass --tenant.`,
    );
  }
  if (!isTenantSlug(slug)) throw invalidArgument('invalid_tenant_slug', `"${slug}" is not a tenant slug.`);
  const found = await catalog.tenants.getBySlug(slug, options.signal);
  if (found) return found;
  if (!options.provision)
    throw notFound(
      'tenant_not_found',
      `No tenant "${slug}" in the catalog: server mode creates tenants only on request; ` +
        `run \`hekima setup\` in the workspace (or \`hekima tenant create ${slug}\`).`,
      { details: { slug } },
    );
  const created = await catalog.tenants.create({ slug }, options.signal);
  return catalog.tenants.transition(
    created.id,
    'ACTIVE',
    'provisioned on first use by an embedded workspace',
    options.signal,
  );
}
