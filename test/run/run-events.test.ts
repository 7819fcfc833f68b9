import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableSnapshot } from '../../platform-core/src/application/lake/read-snapshot.js';
import { snapshotRows } from '../../platform-core/src/application/serving/snapshot-rows.js';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { diamondWorkspace, setMinRows } from './event-workspace.js';
import { runJson } from './run-support.js';

type Summary = Awaited<ReturnType<typeof runJson>>['summary'];
type Report = Summary['products'][number] & { trigger?: string; windowId?: string };

/**
 * `hekima run` driven by data.available (embedded): a diamond alpha → beta, alpha → gamma,
 * (beta, gamma) → delta. The order comes from the correlation engine: delta is submitted by it,
 * once, when both beta and gamma have published.
 */
describe('hekima run driven by data.available events (diamond)', () => {
  let dir: string;
  let platform: Platform;
  let tenantId: string;
  const runs: Summary[] = [];
  const of = (s: Summary, product: string) => s.products.find((p) => p.product === product) as Report | undefined;
  const executionsOf = async (product: string) => {
    const catalog = await platform.catalog();
    const found = await catalog.forTenant(tenantId).products.getByName(product);
    return (await catalog.forTenant(tenantId).executions.list({ limit: 100 }, { productId: found!.id })).items;
  };
  const execution = async (id: string) => (await (await platform.catalog()).forTenant(tenantId).executions.get(id))!;
  const windowInputs = async (id: string) =>
    (await execution(id)).inputs?.['inputs'] as Record<string, { status: string; snapshotId?: string }>;

  const rowsOf = async (name: string) => {
    const catalog = await platform.catalog();
    const product = await catalog.forTenant(tenantId).products.getByName(name);
    const { path } = await readableSnapshot({ catalog, lake: platform.lake() }, tenantId, product!.id);
    const rows = (await snapshotRows(platform.checkEngine, path)).map((row) => ({
      id: Number(row['id']),
      v2: Number(row['v2']),
      v1: Number(row['v1']),
    }));
    return rows.sort((x, y) => x.id - y.id);
  };

  beforeAll(async () => {
    dir = await diamondWorkspace();
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const first = await runJson(platform, dir);
    expect(first.code, first.err + JSON.stringify(first.summary)).toBe(0);
    runs.push(first.summary);
    tenantId = (await resolveWorkspaceTenant(await platform.catalog(), 'diamond', { provision: false })).id;
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delta runs once, after beta and gamma, triggered by the correlation engine in ONE window', async () => {
    const [r] = runs;
    const names = r!.products.map((p) => p.product);
    expect(names[0]).toBe('alpha');
    expect(names.at(-1)).toBe('delta');
    expect(names.indexOf('beta')).toBeLessThan(names.indexOf('delta'));
    expect(names.indexOf('gamma')).toBeLessThan(names.indexOf('delta'));
    expect(of(r!, 'alpha')).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    for (const p of ['beta', 'gamma', 'delta'])
      expect(of(r!, p), p).toMatchObject({ status: 'succeeded', trigger: 'event', windowId: 'latest-1' });
    const d = await executionsOf('delta');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ trigger: 'event', windowId: 'latest-1', state: 'succeeded' });
    // Its window recorded this run's b and c snapshots, and d was computed from them.
    expect(await windowInputs(d[0]!.id)).toMatchObject({
      beta: { status: 'arrived', snapshotId: of(r!, 'beta')?.snapshotId },
      gamma: { status: 'arrived', snapshotId: of(r!, 'gamma')?.snapshotId },
    });
    expect(await rowsOf('delta')).toEqual([
      { id: 1, v2: 20, v1: 11 },
      { id: 2, v2: 40, v1: 21 },
      { id: 3, v2: 60, v1: 31 },
    ]);
  });

  it('a re-run with no change runs everything again in new windows, on the new snapshots', async () => {
    const again = await runJson(platform, dir);
    expect(again.code, again.err).toBe(0);
    runs.push(again.summary);
    const [r1, r2] = runs;
    expect(r2!.redeployed).toBe(0);
    for (const p of ['beta', 'gamma', 'delta']) {
      expect(of(r2!, p), p).toMatchObject({ status: 'succeeded', trigger: 'event', windowId: 'latest-2' });
      expect(of(r2!, p)?.executionId).not.toBe(of(r1!, p)?.executionId);
      expect(of(r2!, p)?.snapshotId).not.toBe(of(r1!, p)?.snapshotId);
    }
    expect(await executionsOf('delta')).toHaveLength(2);
    // Not the first run's snapshots: the window holds the ones this run committed.
    expect(await windowInputs(of(r2!, 'delta')!.executionId!)).toMatchObject({
      beta: { snapshotId: of(r2!, 'beta')?.snapshotId },
      gamma: { snapshotId: of(r2!, 'gamma')?.snapshotId },
    });
  });

  it('a failing blocking gate on gamma: delta is never triggered and is skipped with the reason', async () => {
    await setMinRows(dir, 10);
    await bumpVersion(dir, 'gamma', '1.1.0');
    const failed = await runJson(platform, dir);
    runs.push(failed.summary);
    expect(failed.code).toBe(1);
    expect(of(failed.summary, 'gamma')).toMatchObject({ status: 'failed', checksFailed: 1 });
    expect(of(failed.summary, 'beta')).toMatchObject({ status: 'succeeded', windowId: 'latest-3' });
    expect(of(failed.summary, 'delta')).toMatchObject({ status: 'skipped' });
    expect(of(failed.summary, 'delta')?.reason).toMatch(/^upstream gamma failed \(.*enough_rows/);
    expect(await executionsOf('delta')).toHaveLength(2);
  });

  it('delta’s window completes with inputs from two runs: beta of the failed run, gamma of the next (`--product gamma`)', async () => {
    await setMinRows(dir, 1);
    await bumpVersion(dir, 'gamma', '1.2.0');
    const onlyC = await runJson(platform, dir, {}, { product: 'gamma' });
    expect(onlyC.code, onlyC.err).toBe(0);
    expect(onlyC.summary.products.map((p) => p.product)).toEqual(['alpha', 'gamma']);
    const left = (onlyC.summary as Summary & { leftForWorkers: { product: string; executionId: string }[] })
      .leftForWorkers;
    const d = left.find((t) => t.product === 'delta');
    expect(d, JSON.stringify(left)).toBeDefined();
    const failedRun = runs[2]!;
    expect(await windowInputs(d!.executionId)).toMatchObject({
      beta: { snapshotId: of(failedRun, 'beta')?.snapshotId },
      gamma: { snapshotId: of(onlyC.summary, 'gamma')?.snapshotId },
    });
    expect(await execution(d!.executionId)).toMatchObject({ state: 'ready', windowId: 'latest-3', trigger: 'event' });
  });

  it('a `latest` input reads the newest data even when the window recorded an older snapshot', async () => {
    // gamma publishes alone: delta's next round opens with that gamma snapshot and waits for beta.
    const early = await runJson(platform, dir, {}, { product: 'gamma' });
    expect(early.code, early.err).toBe(0);
    await writeFile(join(dir, 'data/a.csv'), 'id,v\n1,100\n2,200\n3,300\n');
    // One at a time: beta must publish before gamma (run at once, gamma could commit first and
    // take its place in the round this test is about).
    const full = await runJson(platform, dir, {}, { concurrency: '1' });
    expect(full.code, full.err).toBe(0);
    const d = of(full.summary, 'delta')!;
    expect(d).toMatchObject({ status: 'succeeded', trigger: 'event', windowId: 'latest-4' });
    const names = full.summary.products.map((p) => p.product);
    expect(names.indexOf('delta')).toBeGreaterThan(names.indexOf('gamma'));
    // The window was completed by beta of this run with gamma of the earlier one …
    expect(await windowInputs(d.executionId!)).toMatchObject({
      beta: { snapshotId: of(full.summary, 'beta')?.snapshotId },
      gamma: { snapshotId: of(early.summary, 'gamma')?.snapshotId },
    });
    // … and delta read gamma's newest data (the new a.csv), not the recorded snapshot.
    expect(await rowsOf('delta')).toEqual([
      { id: 1, v2: 200, v1: 101 },
      { id: 2, v2: 400, v1: 201 },
      { id: 3, v2: 600, v1: 301 },
    ]);
  });
});

/**
 * A `same_day` consumer correlates per UTC day: its window of today closes once it ran. A re-run the
 * same day still recomputes it (a manual execution, saying why), on the new snapshots.
 */
describe('hekima run with a same_day consumer re-run the same day', () => {
  let dir: string;
  let platform: Platform;
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs delta in today’s window first, then as a manual execution once that window is closed', async () => {
    dir = await diamondWorkspace({ tenant: 'day-windows', dayDelta: true });
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const first = await runJson(platform, dir);
    expect(first.code, first.err).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const d1 = first.summary.products.find((p) => p.product === 'delta') as Report;
    expect(d1).toMatchObject({ status: 'succeeded', trigger: 'event', windowId: today });
    const second = await runJson(platform, dir);
    expect(second.code, second.err).toBe(0);
    const d2 = second.summary.products.find((p) => p.product === 'delta') as Report;
    expect(d2).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    expect(d2.snapshotId).not.toBe(d1.snapshotId);
    const names = second.summary.products.map((p) => p.product);
    expect(names.indexOf('delta')).toBeGreaterThan(names.indexOf('beta'));
    expect(names.indexOf('delta')).toBeGreaterThan(names.indexOf('gamma'));
    const tenant = await resolveWorkspaceTenant(await platform.catalog(), 'day-windows', { provision: false });
    const path = await (await platform.catalog()).forTenant(tenant.id).executions.transitions(d2.executionId!);
    expect(path.map((t) => t.reason).join('\n')).toMatch(/window .* is already triggered/);
  }, 90_000);
});

async function bumpVersion(dir: string, product: string, version: string): Promise<void> {
  const file = join(dir, product, 'product.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/version: .*/, `version: ${version}`));
}
