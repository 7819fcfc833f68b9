import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runWorker } from '../../platform-core/src/cli/commands/worker.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import type { Execution } from '../../platform-core/src/domain/catalog/execution.js';
import { diamondWorkspace } from './event-workspace.js';
import { runJson } from './run-support.js';

/**
 * `hekima worker` without `--steps` runs real product executions. `hekima run --product alpha`
 * deploys the diamond and commits alpha; its data.available triggers beta, gamma and slow-lane
 * (not selected: left ready). A worker (in-process, the CLI command itself, embedded) runs them;
 * beta's and gamma's commits reach its correlation engine through the event bus and delta runs
 * after them. slow-lane exceeds its compute.yaml timeout (2s): it fails as timed out.
 */
describe('hekima worker runs deployed products (embedded)', () => {
  let dir: string;
  let platform: Platform | undefined;
  let left: { product: string; executionId: string }[];
  let byProduct: Map<string, Execution[]>;
  let workerLog = '';

  beforeAll(async () => {
    dir = await diamondWorkspace({ tenant: 'worker-diamond', slow: '2s' });
    const first = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const run = await runJson(first, dir, {}, { product: 'alpha' });
    expect(run.code, run.err).toBe(0);
    left = (run.summary as typeof run.summary & { leftForWorkers: typeof left }).leftForWorkers;
    await first.close();

    // The worker opens the same embedded catalog (one PGlite per directory: the run's is closed).
    const stop = new AbortController();
    const err: string[] = [];
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err.push(s), true) },
      cwd: dir,
      env: { HEKIMA_LOG_LEVEL: 'info' },
    };
    const worker = runWorker(
      io,
      { workspace: dir, lease: '5s', poll: '100ms', drain: '2s', audit: false },
      stop.signal,
    );
    const deadline = Date.now() + 90_000;
    const finished = (p: string) => new RegExp(`product execution finished.*"product":"${p}"`).test(err.join(''));
    while (!(finished('delta') && finished('slow-lane')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    stop.abort();
    expect(await worker).toBe(0);
    workerLog = err.join('');

    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const catalog = await platform.catalog();
    const tenant = await resolveWorkspaceTenant(catalog, 'worker-diamond', { provision: false });
    const all = (await catalog.forTenant(tenant.id).executions.list({ limit: 100 })).items;
    const products = (await catalog.forTenant(tenant.id).products.list({ limit: 100 })).items;
    const names = new Map(products.map((p) => [p.id, p.name]));
    byProduct = new Map();
    for (const e of all) {
      const name = names.get(e.productId)!;
      byProduct.set(name, [...(byProduct.get(name) ?? []), e]);
    }
  }, 150_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the run leaves the executions its commit triggered outside --product ready for workers', () => {
    expect(left.map((t) => t.product).sort()).toEqual(['beta', 'gamma', 'slow-lane']);
  });

  it('the worker runs beta and gamma, then delta once, triggered by their data.available', () => {
    expect(workerLog, workerLog.slice(-3000)).toMatch(/"product":"delta","status":"succeeded"/);
    for (const p of ['beta', 'gamma', 'delta']) {
      const runs = byProduct.get(p) ?? [];
      expect(runs, p).toHaveLength(1);
      expect(runs[0], p).toMatchObject({ state: 'succeeded', trigger: 'event', windowId: 'latest-1' });
      expect(runs[0]?.leaseOwner, p).toBeUndefined();
    }
    const delta = byProduct.get('delta')![0]!;
    const beta = byProduct.get('beta')![0]!;
    const gamma = byProduct.get('gamma')![0]!;
    expect(Date.parse(delta.startedAt!)).toBeGreaterThanOrEqual(Date.parse(beta.finishedAt!));
    expect(Date.parse(delta.startedAt!)).toBeGreaterThanOrEqual(Date.parse(gamma.finishedAt!));
    expect(Object.keys((delta.inputs?.['inputs'] ?? {}) as object).sort()).toEqual(['beta', 'gamma']);
  });

  it('compute.yaml resources.timeout: slow-lane fails as timed out and its lease is released', () => {
    const [slow] = byProduct.get('slow-lane') ?? [];
    expect(slow).toMatchObject({ state: 'failed' });
    expect(slow?.stateReason).toMatch(/ran longer than its compute.yaml resources.timeout \(2/);
    expect((slow?.error as { code?: string } | undefined)?.code).toBe('execution_timed_out');
    expect(slow?.leaseOwner).toBeUndefined();
    const ms = Date.parse(slow!.finishedAt!) - Date.parse(slow!.startedAt!);
    // Not stopped before its timeout (load only lengthens this); stopped by it, not by the end of
    // its work (minutes of it): the failure's code says so, and the worker loop above finished.
    expect(ms).toBeGreaterThanOrEqual(1900);
  });
});
