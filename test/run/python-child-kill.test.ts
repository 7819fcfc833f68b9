import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProcesses, isAlive, waitUntil } from '../engine/support/process-helpers.js';
import { HEKIMA_BIN, hekima, json, type RunSummaryJson } from './e2e-support.js';
import { pythonWorkspace, SUMS_LOGIC } from './python-workspace.js';

/**
 * Issue 10 D through the built CLI: `hekima run` killed with SIGKILL while its Python logic spins
 * (`while True: pass`, compute.yaml timeout 10m) must not leave the Python child running, and the
 * child's folder (copies of the inputs) is removed by the next run's recovery.
 */
describe('kill -9 of hekima run while its Python logic runs', () => {
  let dir: string;
  let tmp: string;
  let python: { pid: number; args: string[] } | undefined;
  let runFolder: string;
  const env = () => ({ HEKIMA_LOG_LEVEL: 'warn', TMPDIR: tmp });
  /** The Python child of a run on this workspace (its harness is under the workspace or TMPDIR). */
  const pythonChildren = () =>
    findProcesses(
      (args) => args.some((a) => a.endsWith('/harness.py')) && args.some((a) => a.startsWith(dir) || a.startsWith(tmp)),
    );

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'hekima-kill-tmp-'));
    dir = await pythonWorkspace('def transform(inputs):\n    while True:\n        pass\n');
    const run = spawn(process.execPath, [HEKIMA_BIN, 'run', '--json'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env() },
      stdio: 'ignore',
    });
    const ended = new Promise((resolve) => run.on('exit', resolve));
    try {
      await waitUntil(() => pythonChildren().length > 0, 90_000, 'the Python child of hekima run');
    } finally {
      python = pythonChildren()[0];
      run.kill('SIGKILL');
      await ended;
    }
    runFolder = dirname(python!.args.find((a) => a.endsWith('/harness.py'))!);
  }, 120_000);

  afterAll(async () => {
    for (const p of pythonChildren()) process.kill(p.pid, 'SIGKILL'); // only if the test failed
    if (dir) await rm(dir, { recursive: true, force: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('the Python child ends with it (within 10 s; its own timeout was 10 minutes)', async () => {
    expect(python).toBeDefined();
    await waitUntil(() => !isAlive(python!.pid), 10_000, `python ${python!.pid} gone after hekima run was killed`);
  });

  it('its run folder, with the copies of the inputs, stays until the next run, which removes it', async () => {
    expect(existsSync(join(runFolder, 'config.json'))).toBe(true);
    await writeFile(join(dir, 'py-sums/logic/transform.py'), SUMS_LOGIC);
    const next = await hekima(['run', '--json'], dir, env());
    expect(next.code, next.stderr).toBe(0);
    const summary = json<RunSummaryJson & { recovered: { scratch: string[] } }>(next);
    expect(summary.recovered.scratch).toContain(runFolder);
    expect(existsSync(runFolder)).toBe(false);
    expect(summary.products.find((p) => p.product === 'py-sums')?.status).toBe('succeeded');
  }, 120_000);
});
