import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { createPlatform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { diamondWorkspace } from './event-workspace.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${root}platform-core/bin/hekima.js`;

interface Spawned {
  /** The exit code, or `signal:<name>` when a signal ended the process. */
  readonly exited: Promise<number | string>;
  readonly stderr: () => string;
  readonly kill: (signal: NodeJS.Signals) => void;
}

function spawnRun(dir: string): Spawned {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('HEKIMA_')) delete env[key];
  const child = spawn(process.execPath, [BIN, 'run', dir], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  return {
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? `signal:${signal}`))),
    stderr: () => err,
    kill: (signal) => child.kill(signal),
  };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ctrl-C during `hekima run`: the product running is cancelled (DuckDB interrupted), exit 130. */
describe('hekima run interrupted by SIGINT (spawned CLI, embedded)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('cancels the running product’s execution, commits nothing of it, exits 130', async () => {
    const dir = await diamondWorkspace({ tenant: 'interrupted', slow: '30m' });
    dirs.push(dir);
    const run = spawnRun(dir);
    await until(() => /slow-lane: running/.test(run.stderr()), 60_000, 'slow-lane to start');
    // No delay: a SIGINT at any moment after the product started must cancel it. The product's
    // query runs for 30 minutes, so exiting at all (within the test's timeout) is the proof.
    run.kill('SIGINT');
    const code = await run.exited;
    expect(code, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/hekima run: interrupted: the running execution was cancelled/);

    const platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    try {
      const catalog = await platform.catalog();
      const tenant = await resolveWorkspaceTenant(catalog, 'interrupted', { provision: false });
      const t = catalog.forTenant(tenant.id);
      const slow = await t.products.getByName('slow-lane');
      const [execution] = (await t.executions.list({ limit: 10 }, { productId: slow!.id })).items;
      expect(execution).toMatchObject({ state: 'cancelled', stateReason: expect.stringMatching(/interrupted/) });
      expect(execution?.leaseOwner).toBeUndefined();
      expect(await t.snapshots.current(slow!.id)).toBeUndefined();
      // What ran before the interruption stays committed.
      const alpha = await t.products.getByName('alpha');
      expect(await t.snapshots.current(alpha!.id)).toBeDefined();
    } finally {
      await platform.close();
    }
  }, 120_000);

  it('a second SIGINT exits at once', async () => {
    const dir = await diamondWorkspace({ tenant: 'interrupted-twice', slow: '30m' });
    dirs.push(dir);
    const run = spawnRun(dir);
    await until(() => /slow-lane: running/.test(run.stderr()), 60_000, 'slow-lane to start');
    run.kill('SIGINT');
    await until(() => /SIGINT again to exit at once/.test(run.stderr()), 5_000, 'the first SIGINT to be seen');
    run.kill('SIGINT');
    // 130 from the handler; if the first signal's cancellation had already finished and the
    // handler was gone, the default action ends the process just as well.
    expect([130, 'signal:SIGINT']).toContain(await run.exited);
  }, 120_000);
});
