import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPlatform, type ExecutionBackbone, type Platform } from '../../composition.js';
import { loadConfig } from '../../config.js';
import { followAuditTrail } from '../../application/audit/follow-audit-trail.js';
import { followPendingProjections } from '../../application/serving/pending-projections.js';
import type { ExecutionExecutor } from '../../application/executions/execution-worker-options.js';
import { WorkerPool } from '../../application/executions/worker-pool.js';
import { generatePlans, type GenerateResult } from '../../application/generate/generate-plans.js';
import { productExecutor } from '../../application/run/product-executor.js';
import { CorrelationEngine } from '../../application/orchestration/correlation-engine.js';
import { CorrelationSensors } from '../../application/orchestration/correlation-sensors.js';
import { placementPolicy } from '../../domain/execution/placement.js';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../domain/execution/resources.js';
import type { StepRuntime, StepRuntimeFactory } from '../../ports/execution-handler.js';
import type { Logger } from '../../ports/logger.js';
import { EXIT, UsageError, type CliIO } from '../output.js';
import { stderrLogger } from '../stderr-logger.js';
import { workspaceUnlessServer } from '../workspace-location.js';
import { productRuntimeDeps, type RunHooks } from './run.js';

export interface WorkerOptions {
  /** A module exporting createStepRuntime (synthetic steps); without it the worker runs products. */
  readonly steps?: string;
  /** Workspace whose hekima.yaml connections and Python files product executions use (default: cwd). */
  readonly workspace?: string;
  readonly workers?: string;
  readonly concurrency?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly placement?: string;
  readonly alpha?: string;
  readonly lease?: string;
  readonly poll?: string;
  readonly drain?: string;
  readonly id?: string;
  readonly sensor?: boolean;
  /** `--no-audit`: leave the audit trail to other processes (or `hekima audit`). */
  readonly audit?: boolean;
}

/** `5s`, `500ms`, `2m` → milliseconds. */
export function parseMs(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--${what} takes a duration such as 500ms, 5s or 2m (got "${text}")`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return Math.round(Number(m[1]) * unit);
}

function positive(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${what} takes a positive integer (got "${text}")`);
  return n;
}

/**
 * `hekima worker`: runs workers until SIGINT/SIGTERM, then drains. They execute deployed products
 * (the step runner `hekima run` uses), or the synthetic steps of `--steps <module>`. Server mode (HEKIMA_DATABASE_URL):
 * start as many processes on as many machines as you like. Embedded mode: processes of this
 * machine (they share the workspace's catalog, docs/adr/0024), each an in-process pool
 * (`--workers`, default 2). The process also sweeps correlation deadlines
 * (`--no-sensor` to leave that to others; several sweepers are safe), relays the outbox and appends
 * every event to the audit trail (`--no-audit` to leave that to others).
 */
export async function runWorker(
  io: CliIO,
  options: WorkerOptions,
  signal?: AbortSignal,
  hooks: RunHooks = {},
): Promise<number> {
  // Embedded mode keeps the catalog in the workspace (`.hekima/`): the one `hekima run` deployed to.
  // Server mode: a worker serves every tenant, with or without a workspace (whose connections and
  // Python files its products use). Embedded mode: the workspace's own catalog, so one is needed.
  const root = workspaceUnlessServer(io, options.workspace);
  const config = await loadConfig({ env: io.env, workspaceRoot: root ?? io.cwd });
  const baseId = options.id ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const logger = stderrLogger(io, { worker: baseId });
  const size = positive(options.workers, config.mode === 'embedded' ? 2 : 1, 'workers');
  const capacity = {
    cpuMillis: options.cpu ? parseCpu(options.cpu) : availableParallelism() * 1000,
    memoryBytes: options.memory ? parseMemory(options.memory) : Math.floor(totalmem() * 0.8),
  };
  const placement = placementPolicy(
    options.placement ?? 'akoscore',
    options.alpha === undefined ? 0.5 : Number(options.alpha),
  );
  const runtime = options.steps ? await loadStepRuntime(io, options.steps, logger) : undefined;

  const platform = createPlatform({ config, logger });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  signal?.addEventListener('abort', onSignal, { once: true });
  try {
    const backbone = await platform.executions(stop.signal);
    const pool = new WorkerPool({
      baseId,
      size,
      hostname: hostname(),
      pid: process.pid,
      queue: backbone.queue,
      registry: backbone.workers,
      ...(runtime
        ? { handler: runtime.handler, runner: runtime.runner }
        : {
            executor: await productWorkerExecutor(io, platform, backbone, root, logger, stop.signal, hooks),
          }),
      placement,
      capacity,
      concurrency: positive(options.concurrency, availableParallelism(), 'concurrency'),
      logger,
      clock: platform.clock,
      ...(options.lease ? { leaseMs: parseMs(options.lease, 'lease') } : {}),
      ...(options.poll ? { pollMs: parseMs(options.poll, 'poll') } : {}),
      ...(options.drain ? { drainMs: parseMs(options.drain, 'drain') } : {}),
    });
    const sensor = options.sensor === false ? Promise.resolve() : runSensors(platform, backbone, logger, stop.signal);
    const audit = options.audit === false ? Promise.resolve() : runAudit(platform, logger, stop.signal);
    io.stdout.write(
      `hekima worker: ${pool.workers.map((w) => w.id).join(', ')} ready (${config.mode} mode, ` +
        `${formatCpu(capacity.cpuMillis)} CPU, ${formatMemory(capacity.memoryBytes)}, ${placement.name}, ` +
        `${runtime ? `steps from ${options.steps}` : 'product executions'})\n`,
    );
    const projections = runPendingProjections(platform, logger, stop.signal);
    await Promise.all([pool.run(stop.signal), sensor, audit, projections]);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await runtime?.close?.();
    await platform.close();
  }
}

async function loadStepRuntime(io: CliIO, steps: string, logger: Logger): Promise<StepRuntime> {
  const module = (await import(pathToFileURL(resolve(io.cwd, steps)).href)) as {
    createStepRuntime?: StepRuntimeFactory;
  };
  if (typeof module.createStepRuntime !== 'function')
    throw new UsageError(`${steps} does not export createStepRuntime`);
  return module.createStepRuntime({ env: io.env, logger });
}

/**
 * The product step runner of this process: executes leased executions of deployed products with the
 * code `hekima run` uses (deployed plan, bind, transform, gate, commit, serve; compute.yaml timeout).
 * Connections and Python files come from the workspace at `--workspace` (default: the current
 * directory); without a workspace there, products without connector inputs still run.
 */
export async function productWorkerExecutor(
  io: CliIO,
  platform: Platform,
  backbone: ExecutionBackbone,
  workspace: string | undefined,
  logger: Logger,
  signal: AbortSignal,
  hooks: RunHooks = {},
): Promise<ExecutionExecutor> {
  const root = resolve(io.cwd, workspace ?? '.');
  // Working folders of processes that ended without removing them (killed): a worker starting is
  // where the next run begins, as `hekima run`'s recovery is.
  const swept = await platform.scratch.sweep(root, signal);
  if (swept.length > 0) logger.info('removed working folders left by ended processes', { folders: swept.length });
  let generated: Promise<GenerateResult | undefined> | undefined;
  const generate = () =>
    (generated ??= generatePlans(platform.validationDeps(root), { signal }).catch((e: unknown) => {
      logger.warn('no workspace plans for this worker', { root, error: String(e) });
      return undefined;
    }));
  const first = await generate();
  if (!first?.ok) logger.warn('the worker workspace does not validate: its connections are not used', { root });
  return productExecutor({
    ...(await productRuntimeDeps(
      platform,
      root,
      io.env,
      await platform.catalog(signal),
      await platform.events(signal),
    )),
    connections: first?.ok ? first.index.config.connections : new Map(),
    correlations: backbone.correlations,
    logger,
    root,
    ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
    workspacePlans: async () => {
      const r = await generate();
      return new Map(r?.ok ? r.plans.map((p) => [p.product, p.plan]) : []);
    },
  });
}

/**
 * Serving projections left pending (Redis was down when a snapshot was committed) are retried
 * every 30 s for every ACTIVE tenant, newest snapshot only.
 */
async function runPendingProjections(platform: Platform, logger: Logger, signal: AbortSignal): Promise<void> {
  try {
    const deps = {
      catalog: await platform.catalog(signal),
      lake: platform.lake(),
      checkEngine: platform.checkEngine,
      stores: await platform.servingStores(signal),
      logger,
    };
    await followPendingProjections(deps, { clock: platform.clock }, signal);
  } catch (e) {
    if (!signal.aborted) logger.warn('no serving-projection retries in this process', { error: String(e) });
  }
}

/**
 * The outbox relay of this process and the audit consumer: every ACTIVE tenant's events are appended
 * to its hash-chained audit trail as they are relayed. Safe with many workers: the relay serialises
 * under its advisory lock, and each tenant's audit group has one active member at a time.
 */
async function runAudit(platform: Platform, logger: Logger, signal: AbortSignal): Promise<void> {
  try {
    const bus = await platform.events(signal);
    await bus.start();
    const catalog = await platform.catalog(signal);
    await followAuditTrail({ bus, catalog, clock: platform.clock, logger, refreshMs: 10_000 }, signal);
  } catch (e) {
    if (!signal.aborted) logger.warn('no audit consumer in this process', { error: String(e) });
  }
}

/**
 * The correlation engine of this process: its deadline sweep, and the sensor subscriptions
 * (`{tenant}.{product}.sensor`) on the event bus, whose relay this process also runs. Several
 * worker processes may all do this: the bus gives each group to one member, and correlation
 * changes are serialised per product in the database.
 */
async function runSensors(
  platform: Platform,
  backbone: ExecutionBackbone,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const { clock } = platform;
  const engine = new CorrelationEngine({ store: backbone.correlations, queue: backbone.queue, clock, logger });
  const sweep = engine.run(signal);
  try {
    const bus = await platform.events(signal);
    await bus.start();
    const sensors = new CorrelationSensors({ bus, catalog: await platform.catalog(signal), engine, clock, logger });
    await sensors.run(signal);
  } catch (e) {
    if (!signal.aborted)
      logger.warn('no event subscriptions in this process; deadlines are still swept', { error: String(e) });
  }
  await sweep;
}
