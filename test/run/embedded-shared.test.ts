import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import type { Execution } from '../../platform-core/src/domain/catalog/execution.js';
import type { Snapshot } from '../../platform-core/src/domain/lake/snapshot.js';
import type { SharedPgliteDatabase } from '../../platform-core/src/adapters/postgres/shared/shared-pglite-database.js';
import {
  fixtureChainWorkspace,
  HEKIMA_BIN,
  hekima,
  json,
  type CliResult,
  type QueryJson,
  type RunSummaryJson,
} from './e2e-support.js';

/**
 * Embedded mode shared by several processes at once (docs/adr/0024), through the built CLI: a
 * `hekima worker`, two `hekima run`s and `hekima query`s on one workspace, with no server. Then
 * the process hosting the catalog is killed (SIGKILL) and the others carry on.
 */
describe('one embedded workspace, several processes at once', () => {
  let dir: string;
  const env: Record<string, string> = { HEKIMA_LOG_LEVEL: 'warn' };
  const workers: ChildProcess[] = [];
  let platform: Platform | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-embedded-shared-'));
    await fixtureChainWorkspace(dir, 'test');
    const first = await hekima(['run', '--json'], dir, env);
    expect(first.code, first.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `hekima worker` in the background; resolves once it reports ready. */
  const startWorker = async () => {
    const child = spawn(process.execPath, [HEKIMA_BIN, 'worker', '--workspace', dir, '--drain', '5s'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/ready \(embedded mode/.test(stdout)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`hekima worker exited (${String(code)}):\n${stderr}`)));
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, stderr })),
    );
    return { child, exited };
  };

  const executionsOf = async (p: Platform) => {
    const catalog = await p.catalog();
    const tenant = await resolveWorkspaceTenant(catalog, 'acme-retail', { provision: false });
    const executions: Execution[] = [];
    const snapshots: Snapshot[] = [];
    let after: string | undefined;
    do {
      const page = await catalog.forTenant(tenant.id).executions.list({ limit: 100, ...(after ? { after } : {}) });
      executions.push(...page.items);
      after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
    } while (after);
    do {
      const page = await catalog.forTenant(tenant.id).snapshots.list({ limit: 100, ...(after ? { after } : {}) });
      snapshots.push(...page.items);
      after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
    } while (after);
    return { executions, snapshots };
  };

  it('a worker, two runs and queries at once all succeed; every execution ran exactly once', async () => {
    const phaseStart = new Date().toISOString();
    const worker = await startWorker();
    const runs = [
      hekima(['run', '--product', 'customers', '--json'], dir, env),
      hekima(['run', '--product', 'pos-transactions', '--json'], dir, env),
    ];
    let running = true;
    void Promise.allSettled(runs).then(() => (running = false));
    const queries: CliResult[] = [];
    do queries.push(await hekima(['query', 'outlets', '--json'], dir, env));
    while (running);
    const [one, two] = await Promise.all(runs);
    for (const r of [one!, two!, ...queries]) {
      expect(r.stderr).not.toMatch(/catalog_in_use|lockDataDir|internal error/);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const q of queries) expect(json<QueryJson>(q).rows).toHaveLength(5);
    for (const [run, product] of [
      [one!, 'customers'],
      [two!, 'pos-transactions'],
    ] as const) {
      const summary = json<RunSummaryJson>(run);
      expect(summary.ok).toBe(true);
      expect(summary.products.find((p) => p.product === product)?.status).toBe('succeeded');
    }

    // The runs' commits triggered their consumers; the worker runs them. This process joins the
    // catalog as one more guest while the worker still holds it.
    platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: dir }) });
    const deadline = Date.now() + 120_000;
    let seen = await executionsOf(platform);
    while (
      seen.executions.some((e) => ['pending', 'ready', 'running', 'checking', 'promoting'].includes(e.state)) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await executionsOf(platform);
    }
    const inFlight = seen.executions.filter((e) => !['succeeded', 'failed', 'skipped', 'cancelled'].includes(e.state));
    expect(inFlight.map((e) => `${e.id} ${e.state}: ${e.stateReason ?? ''}`)).toEqual([]);
    for (const e of seen.executions) {
      // Exactly once: one attempt, never resumed after a lost lease, at most one snapshot.
      expect(e.attempt, e.stateReason).toBeLessThanOrEqual(1);
      expect(e.resumes ?? 0).toBe(0);
      expect(seen.snapshots.filter((s) => s.executionId === e.id).length).toBeLessThanOrEqual(1);
    }
    // The consumers the runs' commits triggered ran too (by the worker or by a run, once).
    const triggered = seen.executions.filter((e) => e.trigger !== 'manual' && e.createdAt >= phaseStart);
    expect(triggered.length).toBeGreaterThan(0);
    expect(triggered.filter((e) => e.state !== 'succeeded').map((e) => e.stateReason)).toEqual([]);

    // Every other command that opens the catalog works beside them too.
    for (const args of [['executions'], ['workers'], ['audit', '--limit', '5'], ['audit', 'verify'], ['dlq', 'list']]) {
      const r = await hekima(args, dir, env);
      expect(r.stderr, args.join(' ')).not.toMatch(/catalog_in_use|lockDataDir|internal error/);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }

    worker.child.kill('SIGTERM');
    const stopped = await worker.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).not.toMatch(/catalog_in_use|internal error/);
  }, 300_000);

  it('killing the process that hosts the catalog (SIGKILL) wedges nobody: the next one takes over', async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await platform?.close();
    platform = undefined;
    const before = json<QueryJson>(await hekima(['query', 'outlets', '--json'], dir, env));
    const worker = await startWorker(); // the first process to open the catalog hosts it
    platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: dir }) });
    const catalog = (await platform.catalog()) as unknown as { readonly db: SharedPgliteDatabase };
    expect(await catalog.db.hosting()).toBe(false);
    worker.child.kill('SIGKILL');
    expect((await worker.exited).code).toBe(null);
    // This process's next transaction elects a new host: itself.
    const { executions } = await executionsOf(platform);
    expect(executions.length).toBeGreaterThan(0);
    expect(await catalog.db.hosting()).toBe(true);
    // Another process joins it and is served the same data.
    const after = await hekima(['query', 'outlets', '--json'], dir, env);
    expect(after.code, after.stderr).toBe(0);
    expect(json<QueryJson>(after).rows).toEqual(before.rows);
  }, 180_000);
});
