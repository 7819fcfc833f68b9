import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionWorker } from '../../platform-core/src/application/executions/execution-worker.js';
import type { ExecutionExecutor } from '../../platform-core/src/application/executions/execution-worker-options.js';
import { productWorkerExecutor } from '../../platform-core/src/cli/commands/worker.js';
import { createPlatform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { transient } from '../../platform-core/src/domain/errors.js';
import { placementPolicy } from '../../platform-core/src/domain/execution/placement.js';
import type { ExecutionLease } from '../../platform-core/src/ports/execution-queue.js';
import type { Logger } from '../../platform-core/src/ports/logger.js';
import { runJson } from './run-support.js';
import { inspect, type Inspection } from './worker-retry-support.js';
import { retryWorkspace } from './worker-retry-workspace.js';

const TENANT = 'worker-retry-committed';

/**
 * A retryable failure AFTER the commit (here the catalog refusing the `succeeded` transition once,
 * as a dropped connection would) retries the execution, but its snapshot is already visible and
 * its DataAvailable published: attempt 2 must not compute and commit again. It only finishes
 * (serving, `succeeded`). The worker is the product step runner of `hekima worker`, in-process.
 */
describe('a product execution retried after its commit is finished, not run again (embedded)', () => {
  let dir: string;
  let end: Inspection;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await retryWorkspace(TENANT, ['steady']);
    const first = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const run = await runJson(first, dir, {}, { product: 'src' });
    await first.close();
    expect(run.code, run.err).toBe(0);

    const platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const stop = new AbortController();
    try {
      const logger = memoryLogger(log);
      const backbone = await platform.executions(stop.signal);
      const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dir, env: {} };
      const executor = await productWorkerExecutor(io, platform, backbone, dir, logger, stop.signal);
      let failed = false;
      const faulty: ExecutionExecutor = (lease, context) =>
        executor(
          failingOnce(lease, 'succeeded', () => (failed ? false : (failed = true))),
          context,
        );
      const outcomes: string[] = [];
      const worker = new ExecutionWorker({
        id: 'retry-after-commit',
        hostname: 'test',
        pid: process.pid,
        queue: backbone.queue,
        registry: backbone.workers,
        executor: faulty,
        placement: placementPolicy('fifo'),
        capacity: { cpuMillis: 4000, memoryBytes: 8 * 2 ** 30 },
        concurrency: 1,
        logger,
        clock: platform.clock,
        leaseMs: 5000,
        pollMs: 100,
        onOutcome: (_id, outcome) => outcomes.push(outcome),
      });
      const running = worker.run(stop.signal);
      const deadline = Date.now() + 30_000;
      while (outcomes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stop.abort();
      await running;
      expect(outcomes, log.join('\n')).toEqual(['retrying', 'succeeded']);
    } finally {
      await platform.close();
    }
    end = await inspect(dir, TENANT);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('attempt 2 finishes the committed snapshot: one snapshot, one DataAvailable', () => {
    const steady = end.only('steady');
    expect(steady).toMatchObject({ state: 'succeeded', attempt: 2 });
    const [snapshot, ...others] = end.snapshots.get('steady')!;
    expect(others).toEqual([]);
    expect(snapshot).toMatchObject({ state: 'promoted', executionId: steady.id, rowCount: 3 });
    expect(steady.stateReason).toBe(`3 rows; snapshot ${snapshot!.id} was committed by an earlier attempt`);
    expect(end.dataAvailable.get('steady')).toBe(1);
    const moves = end.transitions.get(steady.id)!;
    const retried = moves.find((t) => t.from === 'promoting' && t.to === 'ready');
    expect(retried?.reason).toMatch(/^Transient catalog_unavailable; attempt 2 of 2 in 1 s: /);
    expect(moves.slice(-3).map((t) => t.to)).toEqual(['checking', 'promoting', 'succeeded']);
  });
});

/** The lease, whose `finish` in `state` fails once (Transient) while `fail()` says so. */
function failingOnce(lease: ExecutionLease, state: string, fail: () => boolean): ExecutionLease {
  return new Proxy(lease, {
    get(target, key) {
      if (key === 'finish')
        return async (...args: Parameters<ExecutionLease['finish']>) => {
          if (args[0] === state && fail()) throw transient('catalog_unavailable', 'the catalog session was reset');
          return target.finish(...args);
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function memoryLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (m, x) => void lines.push(`info ${m} ${JSON.stringify(x ?? {})}`),
    warn: (m, x) => void lines.push(`warn ${m} ${JSON.stringify(x ?? {})}`),
    error: (m, x) => void lines.push(`error ${m} ${JSON.stringify(x ?? {})}`),
    child: () => logger,
  };
  return logger;
}
