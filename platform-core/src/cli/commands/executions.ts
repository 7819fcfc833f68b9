import { readExecutions, showExecution } from '../../application/executions/read-executions.js';
import type { QualityReader } from '../../application/quality/read-quality-results.js';
import { DEFAULT_CLEARANCE } from '../../application/serving/query-product.js';
import { jsonText } from '../../domain/typed-json.js';
import { createPlatform } from '../../composition.js';
import { loadConfig } from '../../config.js';
import { EXECUTION_STATES, type Execution, type ExecutionState } from '../../domain/catalog/execution.js';
import { formatCpu, formatMemory } from '../../domain/execution/resources.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import type { Platform } from '../../composition.js';
import { localUser } from '../local-user.js';
import { alignedTable, EXIT, UsageError, type CliIO } from '../output.js';
import { stderrLogger } from '../stderr-logger.js';
import { workspaceUnlessServer } from '../workspace-location.js';
import { pageLimit, withWorkspaceRuntime, type WorkspaceOptions, type WorkspaceRuntime } from './workspace-runtime.js';

/**
 * `hekima workers`: live workers and what they offer. Workers serve every tenant of the catalog:
 * in server mode no workspace is needed; embedded mode reads the workspace's own catalog.
 */
export async function runWorkers(io: CliIO, options: { json?: boolean; workspace?: string }): Promise<number> {
  const root = workspaceUnlessServer(io, options.workspace);
  const platform = createPlatform({
    config: await loadConfig({ env: io.env, workspaceRoot: root ?? io.cwd }),
    logger: stderrLogger(io),
  });
  try {
    const workers = await (await platform.executions()).workers.live(60_000);
    if (options.json) io.stdout.write(jsonText(workers));
    else if (workers.length === 0) io.stdout.write('No live workers.\n');
    else {
      const body = workers.map((w) => [
        w.id,
        `${w.hostname}:${w.pid}`,
        formatCpu(w.capacity.cpuMillis),
        formatMemory(w.capacity.memoryBytes),
        `${w.running}/${w.concurrency}`,
        w.placement,
        w.heartbeatAt,
      ]);
      const header = ['worker', 'host:pid', 'cpu', 'memory', 'running', 'placement', 'heartbeat'];
      io.stdout.write(`${alignedTable(header, body).join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

export interface ExecutionsOptions extends WorkspaceOptions {
  readonly state?: string;
  readonly limit?: string;
  /** The reader's clearance for check samples and values (default: HEKIMA_CLEARANCE / hekima.yaml, else internal). */
  readonly clearance?: string;
}

/**
 * `hekima executions [-w DIR] [--tenant SLUG]`: the workspace tenant's executions (hekima.yaml's
 * `tenant:` unless `--tenant`), newest first, with their product, state and reason. A failed
 * gate's samples and values are masked per the reader's clearance (and the read audited).
 */
export async function runExecutions(io: CliIO, base: Platform, options: ExecutionsOptions): Promise<number> {
  if (options.state !== undefined && !EXECUTION_STATES.includes(options.state as ExecutionState))
    throw new UsageError(`--state takes one of ${EXECUTION_STATES.join(', ')}`);
  const limit = pageLimit(options.limit) ?? 20;
  return withWorkspaceRuntime(io, base, options, 'executions', async (rt) => {
    const { catalog, tenant } = rt;
    const scoped = catalog.forTenant(tenant.id);
    // A failed gate's samples and values, rebuilt from the stored results and masked for this reader.
    const page = await readExecutions(
      catalog,
      reader(io, rt, options, 'executions'),
      { limit },
      options.state === undefined ? {} : { state: options.state as ExecutionState },
    );
    if (options.json) io.stdout.write(jsonText(page));
    else if (page.items.length === 0)
      io.stdout.write(`No executions${options.state ? ` in state ${options.state}` : ''} for tenant ${tenant.slug}.\n`);
    else
      io.stdout.write(
        executionsTable(
          page.items,
          await productNames(
            scoped,
            page.items.map((e) => e.productId),
          ),
        ),
      );
    return EXIT.ok;
  });
}

/** The names of the products `ids` (the id itself when a product is gone), for tables. */
export async function productNames(
  catalog: TenantCatalog,
  ids: Iterable<string | undefined>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) if (id !== undefined) names.set(id, (await catalog.products.get(id))?.name ?? id);
  return names;
}

function executionsTable(executions: readonly Execution[], names: ReadonlyMap<string, string>): string {
  const header = ['execution', 'product', 'state', 'attempt', 'window', 'created', 'reason'];
  const body = executions.map((e) => [
    e.id,
    names.get(e.productId) ?? e.productId,
    e.state,
    `${e.attempt}/${e.maxAttempts}`,
    e.windowId ?? '-',
    e.createdAt,
    e.stateReason ?? '',
  ]);
  return `${alignedTable(header, body).join('\n')}\n`;
}

/**
 * `hekima executions show <id>`: one execution, its transitions and every quality check result,
 * masked per the reader's clearance (reads of confidential and restricted values audited).
 */
export async function runExecutionShow(
  io: CliIO,
  base: Platform,
  id: string,
  options: ExecutionsOptions,
): Promise<number> {
  return withWorkspaceRuntime(io, base, options, 'executions show', async (rt) => {
    const detail = await showExecution(rt.catalog, reader(io, rt, options, 'executions show'), id);
    if (options.json) {
      io.stdout.write(jsonText(detail));
      return EXIT.ok;
    }
    const e = detail.execution;
    io.stdout.write(`${e.id}  ${e.state}  attempt ${e.attempt}/${e.maxAttempts}  ${e.stateReason ?? ''}\n`);
    for (const t of detail.transitions) io.stdout.write(`  ${t.at}  ${t.from ?? '-'} → ${t.to}  ${t.reason ?? ''}\n`);
    for (const c of detail.checks) {
      io.stdout.write(`  check ${c.name} (${c.type}, ${c.severity}): ${c.message}\n`);
      for (const row of c.samples) io.stdout.write(`    ${JSON.stringify(row)}\n`);
    }
    if (detail.masked.length > 0) io.stdout.write(`masked for your clearance: ${detail.masked.join(', ')}\n`);
    return EXIT.ok;
  });
}

/** Who reads, with which clearance (`--clearance`, else HEKIMA_CLEARANCE / hekima.yaml, else internal). */
export function reader(
  io: CliIO,
  rt: WorkspaceRuntime,
  options: Pick<ExecutionsOptions, 'clearance'>,
  source: string,
): QualityReader {
  return {
    tenantId: rt.tenant.id,
    clearance: options.clearance ?? rt.clearance ?? DEFAULT_CLEARANCE,
    actor: localUser(io.env),
    source,
  };
}
