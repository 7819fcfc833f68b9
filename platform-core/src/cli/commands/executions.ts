import { createPlatform } from '../../composition.js';
import { loadConfig } from '../../config.js';
import { EXECUTION_STATES, type ExecutionState } from '../../domain/catalog/execution.js';
import { formatCpu, formatMemory } from '../../domain/execution/resources.js';
import { EXIT, UsageError, type CliIO } from '../output.js';
import { stderrLogger } from '../stderr-logger.js';

/** `hekima workers`: live workers and what they offer. */
export async function runWorkers(io: CliIO, options: { json?: boolean }): Promise<number> {
  const platform = createPlatform({
    config: await loadConfig({ env: io.env, workspaceRoot: io.cwd }),
    logger: stderrLogger(io),
  });
  try {
    const workers = await (await platform.executions()).workers.live(60_000);
    if (options.json) io.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
    else if (workers.length === 0) io.stdout.write('No live workers.\n');
    else
      for (const w of workers)
        io.stdout.write(
          `${w.id}  ${w.hostname}:${w.pid}  ${formatCpu(w.capacity.cpuMillis)} CPU  ${formatMemory(w.capacity.memoryBytes)}  ` +
            `${w.running}/${w.concurrency} running  ${w.placement}  heartbeat ${w.heartbeatAt}\n`,
        );
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

export interface ExecutionsOptions {
  readonly tenant: string;
  readonly state?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

/** `hekima executions --tenant <slug>`: a tenant's executions, newest first, with state and reason. */
export async function runExecutions(io: CliIO, options: ExecutionsOptions): Promise<number> {
  if (options.state !== undefined && !EXECUTION_STATES.includes(options.state as ExecutionState))
    throw new UsageError(`--state takes one of ${EXECUTION_STATES.join(', ')}`);
  const platform = createPlatform({
    config: await loadConfig({ env: io.env, workspaceRoot: io.cwd }),
    logger: stderrLogger(io),
  });
  try {
    const catalog = await platform.catalog();
    const tenant = await catalog.tenants.getBySlug(options.tenant);
    if (!tenant) {
      io.stderr.write(`hekima executions: no tenant "${options.tenant}"\n`);
      return EXIT.usage;
    }
    const page = await catalog
      .forTenant(tenant.id)
      .executions.list(
        { limit: options.limit === undefined ? 20 : Number(options.limit) },
        options.state === undefined ? {} : { state: options.state as ExecutionState },
      );
    if (options.json) io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    else if (page.items.length === 0) io.stdout.write('No executions.\n');
    else
      for (const e of page.items)
        io.stdout.write(
          `${e.id}  ${e.state.padEnd(9)}  attempt ${e.attempt}/${e.maxAttempts}  ${e.windowId ?? '-'}  ${e.stateReason ?? ''}\n`,
        );
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}
