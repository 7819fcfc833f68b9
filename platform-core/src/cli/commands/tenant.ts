import type { Command } from 'commander';
import { createTenant, ensureTenant, listTenants, setTenantState } from '../../application/tenants/tenant-admin.js';
import { workspaceTenantSlug } from '../../application/workspace/workspace-tenant.js';
import type { Platform } from '../../composition.js';
import type { HekimaConfig } from '../../config.js';
import { TENANT_STATES, type Tenant, type TenantState } from '../../domain/catalog/tenant.js';
import { isHekimaError } from '../../domain/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import { alignedTable, EXIT, UsageError, type CliIO } from '../output.js';
import { locateWorkspace, WORKSPACE_FLAGS, WORKSPACE_HELP, workspaceUnlessServer } from '../workspace-location.js';
import { configuredPlatform, pageLimit, printJson } from './workspace-runtime.js';

interface AdminOptions {
  readonly workspace?: string;
  readonly json?: boolean;
}

type Done = (code: number) => void;

/**
 * `hekima tenant create|list|suspend|resume`: the catalog's tenants. Server mode (HEKIMA_DATABASE_URL)
 * needs no workspace; embedded mode administers the workspace's own catalog.
 */
export function registerTenantCommands(program: Command, io: CliIO, platform: Platform, done: Done): void {
  const tenant = program
    .command('tenant')
    .description('Administer the tenants of the catalog (server mode: HEKIMA_DATABASE_URL)');
  const admin = (cmd: Command) =>
    cmd.option(WORKSPACE_FLAGS, `${WORKSPACE_HELP} (server mode: optional)`).option('--json', 'print as JSON');

  admin(
    tenant
      .command('create')
      .description('Create an ACTIVE tenant')
      .argument('<slug>', 'tenant slug: 3–63 lowercase letters, digits, hyphens'),
  )
    .option('--name <display-name>', 'display name (default: the slug)')
    .action(async (slug: string, o: AdminOptions & { name?: string }) =>
      done(
        await withCatalog(io, platform, o, 'tenant create', async (catalog) => {
          const t = await createTenant(
            catalog,
            { slug, ...(o.name ? { displayName: o.name } : {}) },
            'created by hekima tenant create',
          );
          if (o.json) printJson(io, t);
          else io.stdout.write(`tenant ${t.slug} created (${t.state})\n`);
          return EXIT.ok;
        }),
      ),
    );

  admin(tenant.command('list').description('List tenants, newest first'))
    .option('--state <state>', TENANT_STATES.join(' | '))
    .option('--limit <n>', 'page size (1–100, default 20)')
    .option('--after <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o: AdminOptions & { state?: string; limit?: string; after?: string }) => {
      if (o.state !== undefined && !TENANT_STATES.includes(o.state as TenantState))
        throw new UsageError(`--state takes one of ${TENANT_STATES.join(', ')}`);
      const limit = pageLimit(o.limit);
      done(
        await withCatalog(io, platform, o, 'tenant list', async (catalog) => {
          const page = await listTenants(
            catalog,
            { ...(limit ? { limit } : {}), ...(o.after ? { after: o.after } : {}) },
            o.state as TenantState | undefined,
          );
          if (o.json) printJson(io, page);
          else if (page.items.length === 0) io.stdout.write('No tenants.\n');
          else {
            io.stdout.write(`${tenantsTable(page.items)}\n`);
            if (page.pageInfo.nextCursor) io.stdout.write(`More: --after ${page.pageInfo.nextCursor}\n`);
          }
          return EXIT.ok;
        }),
      );
    });

  admin(
    tenant
      .command('suspend')
      .description('Suspend a tenant: read-only, nothing runs or deploys')
      .argument('<slug>', 'tenant slug'),
  )
    .requiredOption('--reason <text>', 'why (recorded with the state)')
    .action(async (slug: string, o: AdminOptions & { reason: string }) =>
      done(await transition(io, platform, o, slug, 'SUSPENDED', o.reason)),
    );

  admin(
    tenant.command('resume').description('Make a suspended tenant ACTIVE again').argument('<slug>', 'tenant slug'),
  ).action(async (slug: string, o: AdminOptions) =>
    done(await transition(io, platform, o, slug, 'ACTIVE', 'resumed by hekima tenant resume')),
  );
}

/**
 * `hekima setup`: migrates the catalog database (embedded: the workspace's `.hekima/`; server
 * mode: HEKIMA_DATABASE_URL) and creates the workspace's tenant (hekima.yaml's `tenant:`, or
 * `--tenant`) unless it exists. Safe to repeat.
 */
export function registerSetupCommand(program: Command, io: CliIO, platform: Platform, done: Done): void {
  program
    .command('setup')
    .description("Migrate the catalog database and create the workspace's tenant (safe to repeat)")
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--json', 'print as JSON')
    .action(async (o: AdminOptions & { tenant?: string }) => {
      const root = o.tenant ? workspaceUnlessServer(io, o.workspace) : locateWorkspace(io, o.workspace);
      done(
        await withCatalog(
          io,
          platform,
          o,
          'setup',
          async (catalog, config) => {
            let slug = o.tenant;
            if (slug === undefined && root !== undefined) {
              const deps = platform.validationDeps(root);
              slug = await workspaceTenantSlug(deps.files, deps.parser);
            }
            if (slug === undefined)
              throw new UsageError('hekima.yaml declares no tenant: add `tenant: <slug>` to it, or pass --tenant');
            const { tenant, created } = await ensureTenant(catalog, slug, 'created by hekima setup');
            const summary = setupSummary(config, tenant, created);
            if (o.json) printJson(io, summary);
            else io.stdout.write(setupText(summary));
            return tenant.state === 'ACTIVE' ? EXIT.ok : EXIT.findings;
          },
          root,
        ),
      );
    });
}

interface SetupSummary {
  readonly catalog: { readonly mode: 'embedded' | 'server' | 'given'; readonly schema?: string };
  readonly tenant: Tenant;
  readonly created: boolean;
  readonly redis: boolean;
  readonly kafka: boolean;
}

function setupSummary(config: HekimaConfig | undefined, tenant: Tenant, created: boolean): SetupSummary {
  return {
    catalog: config ? { mode: config.mode, schema: config.catalog.schema } : { mode: 'given' },
    tenant,
    created,
    redis: config?.redisUrl !== undefined,
    kafka: (config?.kafkaBrokers?.length ?? 0) > 0,
  };
}

function setupText(s: SetupSummary): string {
  const where =
    s.catalog.mode === 'server'
      ? `PostgreSQL (HEKIMA_DATABASE_URL), schema ${s.catalog.schema}`
      : s.catalog.mode === 'embedded'
        ? `embedded PGlite in .hekima/catalog, schema ${s.catalog.schema}`
        : 'the given catalog';
  const t = s.tenant;
  return [
    `catalog: ${where}: migrated`,
    `tenant ${t.slug}: ${s.created ? 'created' : 'exists'} (${t.state}${t.stateReason && t.state !== 'ACTIVE' ? `: ${t.stateReason}` : ''})`,
    `realtime serving: ${s.redis ? 'Redis (HEKIMA_REDIS_URL)' : 'off (set HEKIMA_REDIS_URL to serve realtime endpoints)'}`,
    `events: ${s.kafka ? 'Kafka (HEKIMA_KAFKA_BROKERS)' : 'the catalog database (set HEKIMA_KAFKA_BROKERS for Kafka)'}`,
    t.state === 'ACTIVE'
      ? 'ready: `hekima run` deploys and runs the workspace'
      : `tenant ${t.slug} is ${t.state}: nothing runs until \`hekima tenant resume ${t.slug}\``,
    '',
  ].join('\n');
}

async function transition(
  io: CliIO,
  platform: Platform,
  o: AdminOptions,
  slug: string,
  to: 'ACTIVE' | 'SUSPENDED',
  reason: string,
): Promise<number> {
  const what = to === 'ACTIVE' ? 'tenant resume' : 'tenant suspend';
  return withCatalog(io, platform, o, what, async (catalog) => {
    const t = await setTenantState(catalog, slug, to, reason);
    if (o.json) printJson(io, t);
    else io.stdout.write(`tenant ${t.slug} ${to === 'ACTIVE' ? 'resumed' : 'suspended'} (${t.state})\n`);
    return EXIT.ok;
  });
}

function tenantsTable(tenants: readonly Tenant[]): string {
  const body = tenants.map((t) => [t.slug, t.state, t.displayName, t.createdAt, t.stateReason ?? '']);
  return alignedTable(['tenant', 'state', 'name', 'created', 'reason'], body).join('\n');
}

/**
 * Opens the configured catalog for an administration command (server mode: no workspace needed;
 * `root` when the caller located one already) and reports domain errors as the other commands do.
 */
async function withCatalog(
  io: CliIO,
  base: Platform,
  o: AdminOptions,
  what: string,
  fn: (catalog: Catalog, config: HekimaConfig | undefined) => Promise<number>,
  located?: string,
): Promise<number> {
  const root = located ?? workspaceUnlessServer(io, o.workspace);
  const { platform, owned, config } = await configuredPlatform(io, base, root ?? io.cwd);
  try {
    return await fn(await platform.catalog(), config);
  } catch (e) {
    if (!isHekimaError(e)) throw e;
    if (o.json) printJson(io, { error: e.toJSON() });
    else io.stderr.write(`hekima ${what}: ${e.code}: ${e.message}\n`);
    return e.kind === 'InvalidArgument' ? EXIT.usage : EXIT.findings;
  } finally {
    if (owned) await platform.close();
  }
}
