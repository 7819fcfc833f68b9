import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runRun, type RunHooks } from '../../platform-core/src/cli/commands/run.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { TERMINAL_EXECUTION_STATES } from '../../platform-core/src/domain/catalog/execution.js';
import type { CliIO } from '../../platform-core/src/cli/output.js';
import { DuckDbAnalyticsStore } from '../../platform-core/src/adapters/duckdb/duckdb-analytics-store.js';
import type { ServingEndpointType, ServingStore, ServingStores } from '../../platform-core/src/ports/serving-store.js';
import { diamondWorkspace } from './event-workspace.js';
import type { RunSummary } from './run-support.js';

/** A scalar subquery of `rows` hashed rows: about 0.6 s per 100 M on one core, and adds 0. */
const burn = (rows: number) => `(SELECT count(*) FROM range(${rows}) r WHERE hash(r.range) % 7 = 0) * 0`;
const SLOW = 100_000_000;

const GiB = 2 ** 30;

/**
 * The diamond alpha → beta, alpha → gamma, (beta, gamma) → delta with beta and gamma made slow
 * (each burns CPU in its SQL), so that run at once they overlap for a while; optionally each
 * asking `memory` in compute.yaml, or beta failing.
 */
async function slowDiamond(
  tenant: string,
  options: { rows?: number; betaRows?: number; memory?: string; failBeta?: boolean; timeout?: string } = {},
) {
  const rows = options.rows ?? SLOW;
  const betaRows = options.betaRows ?? rows;
  const dir = await diamondWorkspace({ tenant, cSql: `SELECT id, v + 1 + ${burn(rows)} AS v1 FROM alpha` });
  const beta = options.failBeta
    ? `SELECT id, CAST(CASE WHEN ${burn(betaRows)} = 0 THEN 'not a number' END AS INTEGER) AS v2 FROM alpha`
    : `SELECT id, v * 2 + ${burn(betaRows)} AS v2 FROM alpha`;
  await writeFile(join(dir, 'beta/logic/transform.sql'), `${beta}\n`);
  const resources = [
    ...(options.memory ? [`  memory: ${options.memory}`] : []),
    ...(options.timeout ? [`  timeout: ${options.timeout}`] : []),
  ];
  if (resources.length > 0)
    for (const name of ['beta', 'gamma'])
      await writeFile(
        join(dir, `${name}/compute.yaml`),
        `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: event
retry:
  max_attempts: 1
resources:
${resources.join('\n')}
`,
      );
  return dir;
}

/**
 * A CLI IO writing into memory; `tty` makes stderr a terminal (the in-place progress lines);
 * `throwOn` makes writing a stderr text that matches it throw.
 */
function memoryIo(cwd: string, tty = false, throwOn?: RegExp) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: {
      write: (t: string) => {
        if (throwOn?.test(t)) throw new Error(`stderr refused: ${t}`);
        return err.push(t);
      },
      isTTY: tty,
    },
    cwd,
    env: { NO_COLOR: '1' },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

interface Span {
  readonly state: string;
  readonly start: number;
  /** When its snapshot was committed (the move to `promoting`, in the commit transaction). */
  readonly committed: number | undefined;
  readonly end: number;
}

const overlap = (x: Span, y: Span) => x.start < y.end && y.start < x.end;
/** The computing parts (start → commit) overlap: serving after the commit needs no capacity. */
const computeOverlap = (x: Span, y: Span) => x.start < (y.committed ?? y.end) && y.start < (x.committed ?? x.end);

/**
 * `hekima run` runs independent products at the same time (embedded): beta and gamma, both
 * reading alpha, run at once within `--concurrency` and the capacity their compute.yaml
 * `resources` ask for; delta still runs once, after both, in one window.
 */
describe('hekima run: independent products at the same time', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function workspace(tenant: string, options: Parameters<typeof slowDiamond>[1] = {}) {
    const dir = await slowDiamond(tenant, options);
    const platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    cleanups.push(async () => {
      await platform.close();
      await rm(dir, { recursive: true, force: true });
    });
    return { dir, platform, tenant };
  }

  async function runJson(ws: { dir: string; platform: Platform }, concurrency?: string, hooks: RunHooks = {}) {
    const { io, stdout, stderr } = memoryIo(ws.dir);
    const code = await runRun(
      ws.platform,
      io,
      undefined,
      { workspace: ws.dir, json: true, ...(concurrency ? { concurrency } : {}) },
      hooks,
    );
    const text = stdout();
    return { code, summary: (text ? JSON.parse(text) : undefined) as RunSummary, err: stderr() };
  }

  async function tenantScope(ws: { platform: Platform; tenant: string }) {
    const catalog = await ws.platform.catalog();
    const tenant = await resolveWorkspaceTenant(catalog, ws.tenant, { provision: false });
    return catalog.forTenant(tenant.id);
  }

  async function executionsOf(ws: { platform: Platform; tenant: string }, product: string) {
    const t = await tenantScope(ws);
    const found = await t.products.getByName(product);
    return (await t.executions.list({ limit: 100 }, { productId: found!.id })).items;
  }

  /** When the product's (only) execution started running and reached its end, by the catalog's clock. */
  async function spanOf(ws: { platform: Platform; tenant: string }, product: string): Promise<Span> {
    const [execution, more] = await executionsOf(ws, product);
    expect(more, `${product} ran once`).toBeUndefined();
    const transitions = await (await tenantScope(ws)).executions.transitions(execution!.id);
    const running = transitions.find((t) => t.to === 'running');
    const end = transitions.find((t) => TERMINAL_EXECUTION_STATES.includes(t.to));
    const promoting = transitions.find((t) => t.to === 'promoting');
    expect(running && end, JSON.stringify(transitions)).toBeTruthy();
    return {
      state: execution!.state,
      start: Date.parse(running!.at),
      committed: promoting ? Date.parse(promoting.at) : undefined,
      end: Date.parse(end!.at),
    };
  }

  it('beta and gamma overlap in time; delta runs once after both, in one window', async () => {
    const ws = await workspace('overlap');
    const { code, summary, err } = await runJson(ws, '4');
    expect(code, err).toBe(0);
    const names = summary.products.map((p) => p.product);
    expect(names[0]).toBe('alpha');
    expect(names.at(-1)).toBe('delta');
    for (const p of summary.products) expect(p.status, p.product).toBe('succeeded');
    const [beta, gamma, delta] = [await spanOf(ws, 'beta'), await spanOf(ws, 'gamma'), await spanOf(ws, 'delta')];
    // beta started before gamma ended and gamma before beta ended: both ran at once.
    expect(overlap(beta, gamma), JSON.stringify({ beta, gamma })).toBe(true);
    // delta starts once both committed (it may start while they still serve).
    expect(delta.start).toBeGreaterThanOrEqual(Math.max(beta.committed!, gamma.committed!));
    const [d] = await executionsOf(ws, 'delta');
    expect(d).toMatchObject({ trigger: 'event', windowId: 'latest-1', state: 'succeeded' });
  }, 120_000);

  it('--concurrency 1 runs them strictly one after another', async () => {
    const ws = await workspace('sequential');
    const { code, summary, err } = await runJson(ws, '1');
    expect(code, err).toBe(0);
    expect(summary.products.map((p) => p.product)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    const spans = await Promise.all(['alpha', 'beta', 'gamma', 'delta'].map((p) => spanOf(ws, p)));
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  }, 120_000);

  it('a failing beta: gamma still runs (at the same time) and succeeds; delta is skipped with the reason', async () => {
    const ws = await workspace('failing', { failBeta: true });
    // A terminal: progress lines must not overwrite each other while two products run.
    const { io, stdout, stderr } = memoryIo(ws.dir, true);
    const code = await runRun(ws.platform, io, undefined, { workspace: ws.dir, concurrency: '2' });
    expect(code, stderr()).toBe(1);
    const [beta, gamma] = [await spanOf(ws, 'beta'), await spanOf(ws, 'gamma')];
    expect(beta.state).toBe('failed');
    expect(gamma.state).toBe('succeeded');
    expect(overlap(beta, gamma), JSON.stringify({ beta, gamma })).toBe(true);
    expect(await executionsOf(ws, 'delta')).toHaveLength(0);
    expect(stdout()).toMatch(/delta: upstream beta failed \(/);

    const lines = stderr()
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('hekima run: ') && !l.startsWith('      note: '));
    const products = ['alpha', 'beta', 'gamma', 'delta'];
    const running = /^\[\d\/4\] ([a-z]+) … running$/;
    const started = /^▸ \[\d\/4\] ([a-z]+) running$/;
    const finished = /^[✓✗-] \[\d\/4\] ([a-z]+) /;
    for (const line of lines) {
      // Whole lines only: a "running" line rewritten in place by that same product's finish, a
      // start line, a finish line (nothing written into another product's line).
      const [first, rewritten, more] = line.split('\r\x1b[2K');
      expect(more, JSON.stringify(line)).toBeUndefined();
      if (rewritten !== undefined) {
        expect(first, JSON.stringify(line)).toMatch(running);
        expect(finished.exec(rewritten)?.[1], JSON.stringify(line)).toBe(running.exec(first!)?.[1]);
      } else
        expect(
          [running, started, finished].some((r) => r.test(first!)),
          JSON.stringify(line),
        ).toBe(true);
    }
    // beta and gamma started while another product ran: start lines of their own; each product
    // has one finish line.
    expect(lines.filter((l) => /▸ \[\d\/4\] (beta|gamma) running/.test(l)).length).toBeGreaterThanOrEqual(1);
    for (const p of products)
      expect(
        lines.filter((l) => new RegExp(`[✓✗-] \\[\\d/4\\] ${p} `).test(l)),
        p,
      ).toHaveLength(1);
  }, 120_000);

  it('capacity: two products each asking more than half the memory never overlap', async () => {
    const ws = await workspace('capacity', { memory: '3Gi' });
    const capacity = { cpuMillis: 64_000, memoryBytes: 5 * GiB };
    const { code, summary, err } = await runJson(ws, '4', { capacity });
    expect(code, err).toBe(0);
    for (const p of summary.products) expect(p.status, p.product).toBe('succeeded');
    const [beta, gamma] = [await spanOf(ws, 'beta'), await spanOf(ws, 'gamma')];
    expect(computeOverlap(beta, gamma), JSON.stringify({ beta, gamma })).toBe(false);
  }, 120_000);

  it('an abort while beta and gamma run cancels both executions and commits nothing of them', async () => {
    const ws = await workspace('aborted', { rows: 400_000_000_000, timeout: '30m' });
    const controller = new AbortController();
    const running = runJson(ws, '2', { signal: controller.signal });
    // Both beta and gamma running at once (leased, their queries under way).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const states = await Promise.all(
        ['beta', 'gamma'].map((p) =>
          executionsOf(ws, p).then(
            (e) => e[0]?.state,
            () => undefined,
          ),
        ),
      );
      if (states.every((s) => s === 'running')) break;
      if (Date.now() > deadline) throw new Error(`beta and gamma never ran at once: ${states.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // No delay before the abort; their queries are minutes of work, so a run that ends at all
    // (within the test's timeout) was stopped by it.
    controller.abort();
    const { code, err } = await running;
    expect(code, err).toBe(130);
    expect(err).toMatch(/hekima run: interrupted/);
    const t = await tenantScope(ws);
    for (const name of ['beta', 'gamma']) {
      const [execution, more] = await executionsOf(ws, name);
      expect(more).toBeUndefined();
      expect(execution, name).toMatchObject({ state: 'cancelled', stateReason: expect.stringMatching(/interrupted/) });
      expect(execution?.leaseOwner).toBeUndefined();
      const product = await t.products.getByName(name);
      expect(await t.snapshots.current(product!.id), name).toBeUndefined();
    }
    // What finished before the abort stays committed; nothing started after it.
    const alpha = await t.products.getByName('alpha');
    expect(await t.snapshots.current(alpha!.id)).toBeDefined();
    expect(await executionsOf(ws, 'delta')).toHaveLength(0);
  }, 120_000);

  it('an exception while beta and gamma run stops gamma (execution cancelled) before the run rejects', async () => {
    const ws = await workspace('thrown', { rows: 400_000_000_000, betaRows: 1000, timeout: '30m' });
    // The progress printer throws on beta's finish line: an exception in the run's loop, with
    // gamma (minutes of work) still running.
    const { io } = memoryIo(ws.dir, false, /beta: 3 rows/);
    await expect(runRun(ws.platform, io, undefined, { workspace: ws.dir, concurrency: '2' })).rejects.toThrow(
      /stderr refused/,
    );
    // Already cancelled when the run rejected: it waited for gamma, and started nothing else.
    const [gamma, more] = await executionsOf(ws, 'gamma');
    expect(more).toBeUndefined();
    expect(gamma).toMatchObject({
      state: 'cancelled',
      stateReason: expect.stringMatching(/^hekima run stopped after an error elsewhere in the run \(stderr refused/),
    });
    const t = await tenantScope(ws);
    expect(await t.snapshots.current((await t.products.getByName('gamma'))!.id)).toBeUndefined();
    expect((await executionsOf(ws, 'beta'))[0]?.state).toBe('succeeded');
    expect(await executionsOf(ws, 'delta')).toHaveLength(0);
  }, 120_000);

  it('a consumer starts on its upstream’s committed data while the upstream is still serving', async () => {
    const dir = await slowDiamond('handoff', { rows: 1000 });
    const ws = { dir, tenant: 'handoff', platform: undefined as unknown as Platform };
    // alpha's serving waits (up to 15 s) until beta's execution has started: only a run that
    // hands alpha's commit to its consumers before alpha finishes gets there.
    let betaStartedWhileAlphaServed = false;
    const analytics = new DuckDbAnalyticsStore();
    const unused = (endpoint: ServingEndpointType): ServingStore => ({
      endpoint,
      project: () => Promise.reject(new Error(`${endpoint} is not served in this workspace`)),
      read: () => Promise.reject(new Error(`${endpoint} is not served in this workspace`)),
    });
    const stores: ServingStores = {
      analytics: {
        endpoint: 'analytics',
        read: (request, signal) => analytics.read(request, signal),
        project: async (request) => {
          if (request.product === 'alpha')
            for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
              const [beta] = await executionsOf(ws, 'beta').catch(() => []);
              if (beta && !['pending', 'ready'].includes(beta.state)) {
                betaStartedWhileAlphaServed = true;
                break;
              }
              await new Promise((r) => setTimeout(r, 25));
            }
          return analytics.project(request);
        },
      },
      lookup: unused('lookup'),
      timeseries: unused('timeseries'),
      realtime: unused('realtime'),
    };
    ws.platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }), servingStores: stores });
    cleanups.push(async () => {
      await ws.platform.close();
      await rm(dir, { recursive: true, force: true });
    });
    const { code, summary, err } = await runJson(ws, '4');
    expect(code, err).toBe(0);
    expect(betaStartedWhileAlphaServed).toBe(true);
    for (const p of summary.products) expect(p.status, p.product).toBe('succeeded');
    const [alpha, beta] = [await spanOf(ws, 'alpha'), await spanOf(ws, 'beta')];
    expect(beta.start).toBeGreaterThanOrEqual(alpha.committed!);
    expect(beta.start).toBeLessThan(alpha.end);
  }, 120_000);
});
