import { createPlatform } from '../../composition.js';
import { loadConfig } from '../../config.js';
import { EXECUTION_STATES, type Execution, type ExecutionState } from '../../domain/catalog/execution.js';
import { formatCpu, formatMemory } from '../../domain/execution/resources.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import type { Platform } from '../../composition.js';
import { alignedTable, EXIT, UsageError, type CliIO } from '../output.js';
import { stderrLogger } from '../stderr-logger.js';
import { workspaceUnlessServer } from '../workspace-location.js';
import { pageLimit, withWorkspaceRuntime, type WorkspaceOptions } from './workspace-runtime.js';

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
    if (options.json) io.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
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
}

/**
 * `hekima executions [-w DIR] [--tenant SLUG]`: the workspace tenant's executions (hekima.yaml's
 * `tenant:` unless `--tenant`), newest first, with their product, state and reason.
 */
export async function runExecutions(io: CliIO, base: Platform, options: ExecutionsOptions): Promise<number> {
  if (options.state !== undefined && !EXECUTION_STATES.includes(options.state as ExecutionState))
    throw new UsageError(`--state takes one of ${EXECUTION_STATES.join(', ')}`);
  const limit = pageLimit(options.limit) ?? 20;
  return withWorkspaceRuntime(io, base, options, 'executions', async ({ catalog, tenant }) => {
    const scoped = catalog.forTenant(tenant.id);
    const page = await scoped.executions.list(
      { limit },
      options.state === undefined ? {} : { state: options.state as ExecutionState },
    );
    if (options.json) io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
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
