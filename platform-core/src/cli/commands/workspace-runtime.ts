import { jsonText } from '../../domain/typed-json.js';
import { resolveWorkspaceTenant, workspaceTenantSlug } from '../../application/workspace/workspace-tenant.js';
import { createPlatform, type Platform } from '../../composition.js';
import { loadConfig, type HekimaConfig } from '../../config.js';
import type { Tenant } from '../../domain/catalog/tenant.js';
import { hasErrorKind, isHekimaError } from '../../domain/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import { EXIT, UsageError, type CliIO } from '../output.js';
import { stderrLogger } from '../stderr-logger.js';
import { locateWorkspace } from '../workspace-location.js';

/** Options every runtime command takes: which workspace, and which tenant of it. */
export interface WorkspaceOptions {
  readonly workspace?: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

export interface WorkspaceRuntime {
  readonly root: string;
  readonly catalog: Catalog;
  readonly tenant: Tenant;
  /** The platform the runtime was opened from (lake, engines, serving stores). */
  readonly platform: Platform;
  /** The configured reading clearance (HEKIMA_CLEARANCE / config file), when this runtime loaded the config. */
  readonly clearance?: string;
}

/**
 * Opens the runtime state of a workspace (the one rule of `locateWorkspace`: `--workspace DIR`,
 * else the nearest folder upwards holding hekima.yaml; outside any workspace a usage error before
 * anything is opened or created): the catalog from the configuration (`.hekima/` embedded,
 * or HEKIMA_DATABASE_URL) and the tenant named by hekima.yaml's `tenant:` (or `--tenant`); the
 * event bus only for the commands that ask the platform for it (`platform.events()`). In embedded mode an unknown tenant is provisioned on first use. A platform
 * given to `runCli` with its own catalog (tests) is used as it is.
 */
export async function withWorkspaceRuntime(
  io: CliIO,
  base: Platform,
  options: WorkspaceOptions,
  what: string,
  fn: (runtime: WorkspaceRuntime) => Promise<number>,
): Promise<number> {
  const root = locateWorkspace(io, options.workspace);
  const { platform, owned, config } = await configuredPlatform(io, base, root);
  const provision = config ? config.mode === 'embedded' : true;
  const clearance = config?.clearance;
  try {
    const catalog = await platform.catalog();
    const deps = platform.validationDeps(root);
    const slug = options.tenant ?? (await workspaceTenantSlug(deps.files, deps.parser));
    const tenant = await resolveWorkspaceTenant(catalog, slug, { provision });
    return await fn({ root, catalog, tenant, platform, ...(clearance ? { clearance } : {}) });
  } catch (e) {
    if (!isHekimaError(e)) throw e;
    if (options.json) io.stdout.write(jsonText({ error: e.toJSON() }));
    else io.stderr.write(`hekima ${what}: ${e.code}: ${e.message}\n`);
    return e.kind === 'InvalidArgument' ? EXIT.usage : EXIT.findings;
  } finally {
    if (owned) await platform.close();
  }
}

/**
 * The platform over the configured catalog: `base` when it has a catalog of its own (tests,
 * embedding), else one built from the environment's configuration for the workspace at `root`
 * (`owned`: the caller closes it). `config` is the configuration loaded, when one was.
 */
export async function configuredPlatform(
  io: CliIO,
  base: Platform,
  root: string,
): Promise<{ platform: Platform; owned: boolean; config?: HekimaConfig }> {
  try {
    await base.catalog();
    return { platform: base, owned: false };
  } catch (e) {
    if (!hasErrorKind(e, 'InvalidState') || e.code !== 'config_missing') throw e;
  }
  const config = await loadConfig({ env: io.env, workspaceRoot: root });
  return { platform: createPlatform({ config, logger: stderrLogger(io) }), owned: true, config };
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(jsonText(value));
}

export function pageLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError('--limit takes an integer from 1 to 100');
  return n;
}
