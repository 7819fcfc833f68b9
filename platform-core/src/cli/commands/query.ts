import { jsonText } from '../../domain/typed-json.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { hashPlan } from '../../application/generate/generate-plans.js';
import { deployedPlan, type DeployedPlan } from '../../application/serving/deployed-plan.js';
import { DEFAULT_CLEARANCE, queryProduct, type QueryResult } from '../../application/serving/query-product.js';
import { servingPlan } from '../../application/serving/serving-plan.js';
import type { Platform } from '../../composition.js';
import type { ServedFilter } from '../../ports/serving-store.js';
import { localUser } from '../local-user.js';
import { alignedTable, EXIT, UsageError, type CliIO } from '../output.js';
import { withWorkspaceRuntime } from './workspace-runtime.js';
import { WORKSPACE_FLAGS, WORKSPACE_HELP } from '../workspace-location.js';

export interface QueryOptions {
  readonly filter?: readonly string[];
  readonly sql?: string;
  readonly asOf?: string;
  readonly limit?: string;
  readonly clearance?: string;
  readonly workspace?: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

function filtersOf(specs: readonly string[] = []): ServedFilter[] {
  return specs.map((spec) => {
    const at = spec.indexOf(':');
    if (at <= 0) throw new UsageError(`--filter takes column:value, not "${spec}"`);
    return { column: spec.slice(0, at), value: spec.slice(at + 1) };
  });
}

/** `hekima query <product>`: served data of a product, tenant-scoped and masked per clearance. */
export function registerQueryCommand(
  program: Command,
  io: CliIO,
  platform: Platform,
  done: (code: number) => void,
): void {
  program
    .command('query')
    .description("Read a product's served data (masked per your clearance)")
    .argument('<product>', 'product name (metadata.name)')
    .option('--filter <col:value...>', 'equality filters on indexed columns (lookup/timeseries)')
    .option('--sql <select>', 'a SELECT over the snapshot, a view named by the product id (or its underscore form)')
    .option('--as-of <snapshot>', 'a past snapshot: its id or an ISO 8601 instant')
    .option('--limit <n>', 'at most this many rows (1–10000, default 100)')
    .option(
      '--clearance <level>',
      'public | internal | confidential | restricted (default: HEKIMA_CLEARANCE, else internal)',
    )
    .option(WORKSPACE_FLAGS, WORKSPACE_HELP)
    .option('--tenant <slug>', "tenant (default: hekima.yaml's tenant)")
    .option('--json', 'print {product, snapshotId, source, columns, rows, masked, notes?} as JSON')
    .action(async (product: string, o: QueryOptions) => done(await runQuery(io, platform, product, o)));
}

export async function runQuery(io: CliIO, base: Platform, product: string, o: QueryOptions): Promise<number> {
  const filters = filtersOf(o.filter);
  const limit = o.limit === undefined ? undefined : Number(o.limit);
  return withWorkspaceRuntime(io, base, o, 'query', async (rt) => {
    const { catalog, tenant, platform } = rt;
    const deps = platform.validationDeps(rt.root);
    // What is SERVED (the active deployment's recorded plan), never the workspace's current manifests.
    const served = await deployedPlan(catalog, tenant.id, product, {
      workspacePlan: async () => hashPlan((await servingPlan(deps, product)).plan),
      // Only when a manifest or logic file changed since the deployment: building the plan costs seconds.
      compareWorkspace: (deployedAt) => workspaceChangedSince(rt.root, deployedAt),
    });
    const { plan, columnClassifications } = served;
    const result = await queryProduct(
      { catalog, lake: platform.lake(), checkEngine: platform.checkEngine, stores: await platform.servingStores() },
      {
        tenantId: tenant.id,
        plan,
        columnClassifications,
        clearance: o.clearance ?? rt.clearance ?? DEFAULT_CLEARANCE,
        actor: localUser(io.env),
        filters,
        ...(o.sql !== undefined ? { sql: o.sql } : {}),
        ...(o.asOf !== undefined ? { asOf: o.asOf } : {}),
        ...(limit !== undefined ? { limit } : {}),
      },
    );
    const notes = workspaceNotes(plan.product.name, served.workspace);
    for (const note of notes) io.stderr.write(`hekima query: note: ${note}\n`);
    if (o.json) io.stdout.write(jsonText(notes.length > 0 ? { ...result, notes } : result));
    else io.stdout.write(renderTable(result));
    return EXIT.ok;
  });
}

/** Says when the workspace's manifests are not what is served (an edit not deployed yet). */
function workspaceNotes(product: string, workspace: DeployedPlan['workspace']): string[] {
  if (workspace === 'differs')
    return [
      `the workspace's manifests of ${product} differ from its deployed plan; this reads (and masks) per the deployed ` +
        `plan. Run \`hekima run --product ${product}\` to deploy the edits.`,
    ];
  if (workspace === 'unavailable')
    return [
      `the workspace does not build ${product} now (validation errors, or the product was removed); this reads per ` +
        `its deployed plan.`,
    ];
  return [];
}

const PLAN_SOURCES = /\.(ya?ml|sql|py)$/i;

/**
 * Whether a manifest or logic file of the workspace (not `.hekima/` or other hidden folders) was
 * modified after `since`: a cheap pre-check by mtime, so that the plan is rebuilt and compared only
 * after an edit. A clock skew between the catalog's server and this machine can hide an edit from
 * it: the note is advice, what is served never depends on it.
 */
async function workspaceChangedSince(root: string, since: string): Promise<boolean> {
  const after = Date.parse(since);
  const walk = async (dir: string, depth: number): Promise<boolean> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 8 && (await walk(path, depth + 1))) return true;
      } else if (entry.isFile() && PLAN_SOURCES.test(entry.name)) {
        const modified = (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
        if (modified > after) return true;
      }
    }
    return false;
  };
  return walk(root, 0);
}

/** Aligned columns for people, with where the rows came from and what was masked. */
export function renderTable(result: QueryResult): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const header = [...result.columns];
  const lines = [
    `${result.product} · snapshot ${result.snapshotId}${result.committedAt ? ` (committed ${result.committedAt})` : ''} · from ${result.source}`,
    ...(result.masked.length > 0 ? [`masked for your clearance: ${result.masked.join(', ')}`] : []),
    '',
    ...alignedTable(
      header,
      result.rows.map((r) => header.map((c) => cell(r[c]))),
      { rule: true },
    ),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ];
  return `${lines.join('\n')}\n`;
}
