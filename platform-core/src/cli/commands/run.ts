import { jsonText } from '../../domain/typed-json.js';
import { availableParallelism, totalmem } from 'node:os';
import { relative, sep } from 'node:path';
import type { Platform } from '../../composition.js';
import { parseRunLease } from '../../application/run/lease-execution.js';
import { runWorkspace, type RunWorkspaceResult } from '../../application/run/run-workspace.js';
import type { ProductRunReport, RunProgress } from '../../application/run/run-types.js';
import type { RunProductDeps } from '../../application/run/run-product.js';
import { cancelled } from '../../domain/errors.js';
import type { WorkerCapacity } from '../../domain/execution/resources.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/event-bus.js';
import { alignedTable, EXIT, painter, UsageError, type CliIO } from '../output.js';
import { formatHuman, toJson } from './validate.js';
import { failureHints } from './run-failure-hints.js';
import { withWorkspaceRuntime, type WorkspaceRuntime } from './workspace-runtime.js';

export interface RunOptions {
  readonly workspace?: string;
  readonly product?: string;
  readonly json?: boolean;
  readonly tenant?: string;
  /** `--concurrency N`: products run at once, at most (default: the CPU cores; 1 = one after another). */
  readonly concurrency?: string;
}

/** Test seams (and embedding): crash injection, the capacity, an outer interruption. */
export interface RunHooks {
  /** Runs between a product's snapshot write and its commit (crash injection). */
  readonly beforeCommit?: (product: string) => Promise<void>;
  /** What products in flight may ask for together (default: the cores and 80% of the RAM). */
  readonly capacity?: WorkerCapacity;
  /** Interrupts the run as SIGINT does (tests, embedding). */
  readonly signal?: AbortSignal;
}

/** Exit code of a run interrupted by SIGINT/SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/**
 * `hekima run [workspace] [--product NAME] [--concurrency N] [--json]`: validate, deploy, run
 * driven by data.available events (independent products at the same time, within the machine's
 * cores and memory), serve. SIGINT/SIGTERM cancel the products running (their executions are
 * cancelled, nothing is half-committed) and exit 130; a second one exits at once.
 */
export async function runRun(
  platform: Platform,
  io: CliIO,
  path: string | undefined,
  options: RunOptions,
  hooks: RunHooks = {},
): Promise<number> {
  const started = performance.now();
  const workspace = options.workspace ?? path;
  const concurrency = parseConcurrency(options.concurrency);
  // Wired for the whole command, closing the catalog included: a second signal always exits at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) exitNow(name, onSignal);
    io.stderr.write(`\nhekima run: ${name}: cancelling the running products (${name} again to exit at once)\n`);
    controller.abort(cancelled('run_interrupted', `hekima run was interrupted (${name})`));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await withWorkspaceRuntime(io, platform, { ...options, ...(workspace ? { workspace } : {}) }, 'run', (rt) =>
      runIn(
        rt,
        io,
        options,
        { concurrency, capacity: hooks.capacity ?? machineCapacity() },
        hooks,
        hooks.signal ? AbortSignal.any([controller.signal, hooks.signal]) : controller.signal,
        started,
      ),
    );
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

async function runIn(
  rt: WorkspaceRuntime,
  io: CliIO,
  options: RunOptions,
  limits: { readonly concurrency: number; readonly capacity: WorkerCapacity },
  hooks: RunHooks,
  signal: AbortSignal,
  started: number,
): Promise<number> {
  const p = rt.platform;
  const backbone = await p.executions();
  let result: RunWorkspaceResult;
  try {
    result = await runWorkspace(
      {
        ...(await productRuntimeDeps(p, rt.root, io.env, rt.catalog, await p.events())),
        validation: p.validationDeps(rt.root),
        correlations: backbone.correlations,
        clock: p.clock,
        ...(p.leaseOwnerGone ? { leaseOwnerGone: p.leaseOwnerGone } : {}),
        ...runLeaseSetting(io.env),
        ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
      },
      {
        root: rt.root,
        tenantId: rt.tenant.id,
        ...(options.product ? { product: options.product } : {}),
        ...(options.json ? {} : { onProgress: progressPrinter(io) }),
        ...limits,
        signal,
      },
    );
  } catch (e) {
    if (!signal.aborted) throw e;
    io.stderr.write(
      'hekima run: interrupted: the running execution was cancelled and nothing was half-committed ' +
        '(`hekima executions --state cancelled`)\n',
    );
    return EXIT_INTERRUPTED;
  }
  const hints = result.ok ? await failureHints(rt.catalog, rt.tenant.id, result.products) : new Map<string, string>();
  return report(io, rt.root, hints, result, options, performance.now() - started);
}

/** `--concurrency N` (a positive integer); default: the CPU cores. */
function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--concurrency takes a positive integer, e.g. --concurrency 4 (got "${text}")`);
  return n;
}

/** This machine, as `hekima worker` advertises it by default: its cores and 80% of its RAM. */
function machineCapacity(): WorkerCapacity {
  return { cpuMillis: availableParallelism() * 1000, memoryBytes: Math.floor(totalmem() * 0.8) };
}

/** HEKIMA_RUN_LEASE: how long a run that stopped heartbeating keeps its execution (docs/dev/run.md). */
function runLeaseSetting(env: CliIO['env']): { runLeaseMs?: number } {
  const ms = parseRunLease(env['HEKIMA_RUN_LEASE']);
  return ms === undefined ? {} : { runLeaseMs: ms };
}

/**
 * A second signal: exit at once. The signal is raised again with its default action (the usual Unix
 * idiom), so no exit-time cleanup (a native engine joining a query's threads) can delay it; the
 * shell reports 130 for SIGINT. `process.exit(130)` if another listener keeps the signal handled.
 */
function exitNow(name: NodeJS.Signals, handler: (name: NodeJS.Signals) => void): never {
  process.off('SIGINT', handler).off('SIGTERM', handler);
  if (process.listenerCount(name) === 0) process.kill(process.pid, name);
  process.exit(EXIT_INTERRUPTED);
}

/**
 * What executing products needs from the platform (`hekima run` and `hekima worker` share it):
 * lake, engines, serving stores, the queue, and ingestion over the connectors of the workspace at
 * `root` (secrets from `env`).
 */
export async function productRuntimeDeps(
  p: Platform,
  root: string,
  env: Readonly<Record<string, string | undefined>>,
  catalog: Catalog,
  bus: EventBus,
): Promise<Omit<RunProductDeps, 'connections'>> {
  return {
    catalog,
    bus,
    lake: p.lake(),
    engine: p.engine,
    python: p.python,
    scratch: p.scratch,
    sql: p.sql,
    checkEngine: p.checkEngine,
    expressions: p.expressions,
    stores: await p.servingStores(),
    queue: (await p.executions()).queue,
    ingest: {
      connectors: p.connectors(root),
      profiler: p.extractProfiler,
      merger: p.extractMerger,
      clock: p.clock,
      env,
    },
  };
}

/**
 * Progress on stderr. Each product keeps one number, `[n/total]` in the order products started (a
 * product that never starts — skipped — takes the next number when it is reported), on its start
 * line and its result line alike. On a terminal, a product running alone shows one line rewritten
 * in place when it finishes; once several run at once, every start and every finish is a line of
 * its own (`▸ name running`), so lines never overwrite each other. Elsewhere, one plain line per
 * event. A result line names every failed check (warn too) with what it measured.
 */
function progressPrinter(io: CliIO): (progress: RunProgress) => void {
  const paint = painter(io, 'stderr');
  const tty = io.stderr.isTTY === true;
  const numbers = new Map<string, number>();
  const numberOf = (product: string, total: number) => {
    if (!numbers.has(product)) numbers.set(product, numbers.size + 1);
    return `[${numbers.get(product)!}/${total}]`;
  };
  /** The product whose "running" line is on screen without its newline (TTY only). */
  let open: string | undefined;
  const closeOpen = () => {
    if (open !== undefined) io.stderr.write('\n');
    open = undefined;
  };
  return (progress) => {
    if (progress.type === 'start') {
      const n = numberOf(progress.product, progress.total);
      if (!tty) io.stderr.write(`${n} ${progress.product}: running\n`);
      else if (progress.running <= 1 && open === undefined) {
        io.stderr.write(`${paint('gray', n)} ${progress.product} … running`);
        open = progress.product;
      } else {
        closeOpen();
        io.stderr.write(`${paint('gray', '▸')} ${paint('gray', n)} ${progress.product} running\n`);
      }
      return;
    }
    const r = progress.report;
    const n = numberOf(r.product, progress.total);
    const mark =
      r.status === 'succeeded' ? paint('green', '✓') : r.status === 'failed' ? paint('red', '✗') : paint('yellow', '-');
    const detail =
      r.status === 'succeeded'
        ? `${r.rows ?? 0} rows, ${checksText(r)}`
        : `${r.status}: ${r.reason ?? ''}${r.checks ? ` (${checksText(r)})` : ''}`;
    const notes = [
      ...failedChecks(r).map((line) => `\n      ${line}`),
      ...r.endpointNotes.map((note) => `\n      note: ${note}`),
    ].join('');
    if (!tty) {
      io.stderr.write(`${n} ${r.product}: ${detail} (${r.ms} ms)${notes}\n`);
      return;
    }
    if (open === r.product) {
      open = undefined;
      io.stderr.write(`\r\x1b[2K${mark} ${n} ${r.product} ${detail} (${r.ms} ms)${notes}\n`);
      return;
    }
    closeOpen();
    io.stderr.write(`${mark} ${n} ${r.product} ${detail} (${r.ms} ms)${notes}\n`);
  };
}

/** `4 checks: 3 passed, 1 failed` (counts over every check of the product). */
function checksText(r: ProductRunReport): string {
  const total = r.checks?.length ?? 0;
  if (total === 0) return 'no checks';
  return `${total} check${total === 1 ? '' : 's'}: ${r.checksPassed} passed, ${r.checksFailed} failed`;
}

/** One line per failed check, blocking or warn: `check x (volume, error) failed: measured 3, threshold …`. */
export function failedChecks(r: ProductRunReport): string[] {
  return (r.checks ?? [])
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map(
      (c) =>
        `check ${c.name} (${c.type}, ${c.severity === 'error' ? 'blocking' : 'warn'}) ${c.status === 'error' ? 'could not run' : 'failed'}: ` +
        `measured ${JSON.stringify(c.measured)}, threshold ${JSON.stringify(c.threshold)}${c.message ? ` — ${c.message}` : ''}`,
    );
}

function report(
  io: CliIO,
  root: string,
  hints: ReadonlyMap<string, string>,
  result: RunWorkspaceResult,
  options: RunOptions,
  ms: number,
): number {
  const where = relative(io.cwd, root).split(sep).join('/') || '.';
  if (!result.ok) {
    if (options.json) io.stdout.write(jsonText({ ran: false, ...toJson(result.validation) }));
    else {
      io.stdout.write(formatHuman(result.validation, io, where, 'full', ms));
      io.stderr.write('hekima run: nothing was run: fix the errors above first\n');
    }
    return EXIT.findings;
  }
  const failed = result.products.filter((r) => r.status === 'failed');
  const skipped = result.products.filter((r) => r.status === 'skipped');
  const code = failed.length > 0 ? EXIT.findings : EXIT.ok;
  for (const r of failed) io.stderr.write(`${hints.get(r.product) ?? `hekima run: ${r.product} failed`}\n`);
  if (options.json) {
    const summary = {
      ran: true,
      runId: result.runId,
      ok: code === EXIT.ok,
      deployed: result.deployed,
      redeployed: result.redeployed,
      ms: Math.round(ms),
      products: result.products,
      leftForWorkers: result.leftForWorkers,
      recovered: result.recovered,
      retriedProjections: result.retriedProjections,
    };
    io.stdout.write(jsonText(summary));
    return code;
  }
  io.stdout.write(table(result.products));
  const paint = painter(io);
  io.stdout.write(
    `\n${result.products.length - failed.length - skipped.length} succeeded, ${failed.length} failed, ${skipped.length} skipped ` +
      `in ${(ms / 1000).toFixed(1)} s (${result.redeployed} of ${result.deployed} product version(s) newly deployed)\n`,
  );
  for (const r of [...failed, ...skipped])
    io.stdout.write(
      // The reason may already start with the product's name (a gate failure's message does).
      `  ${paint(r.status === 'failed' ? 'red' : 'yellow', r.product)}: ${(r.reason ?? r.status).replace(`${r.product}: `, '')}\n`,
    );
  for (const r of result.products)
    for (const line of failedChecks(r))
      io.stdout.write(`  ${paint(r.status === 'failed' ? 'red' : 'yellow', r.product)}: ${line}\n`);
  const { cancelled, expired, swept, scratch } = result.recovered;
  if (cancelled.length > 0 || expired.length > 0 || swept.length > 0)
    io.stdout.write(
      `  recovered from an interrupted run: ${cancelled.length} execution(s) cancelled, ` +
        `${expired.length} ended as their process stopped heartbeating (lease expired), ` +
        `${swept.length} unfinished snapshot(s) removed (the previous snapshots stayed served)\n`,
    );
  if (scratch.length > 0)
    io.stdout.write(`  removed ${scratch.length} working folder(s) left by ended processes (.hekima/tmp)\n`);
  for (const r of result.retriedProjections)
    io.stdout.write(
      `  ${r.product}: pending ${r.endpoint} projection of snapshot ${r.snapshotId} retried: ${r.status}\n`,
    );
  for (const t of result.leftForWorkers)
    io.stdout.write(
      `  ${t.product}: triggered by this run's data.available (window ${t.windowId ?? '-'}), not selected: ` +
        `left ready for \`hekima worker\` (execution ${t.executionId})\n`,
    );
  return code;
}

function table(rows: readonly ProductRunReport[]): string {
  const header = ['product', 'status', 'rows', 'checks passed/failed/all', 'endpoints', 'time'];
  const body = rows.map((r) => [
    r.product,
    r.status,
    r.rows === undefined ? '-' : String(r.rows),
    r.checks === undefined ? '-' : `${r.checksPassed}/${r.checksFailed}/${r.checks.length}`,
    r.endpoints.join(',') || '-',
    `${(r.ms / 1000).toFixed(2)} s`,
  ]);
  return alignedTable(header, body).join('\n') + '\n';
}
