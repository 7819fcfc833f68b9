import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProcesses, isAlive, waitUntil } from '../engine/support/process-helpers.js';
import { HEKIMA_BIN, hekima, json, type RunSummaryJson } from './e2e-support.js';
import { NEXT_LOGIC, pythonWorkspace, SUMS_LOGIC } from './python-workspace.js';

/**
 * Issue 10 D for `hekima worker` (built CLI): `hekima run --product py-sums` leaves the
 * event-triggered `py-next` (Python, `while True: pass`, timeout 10m) ready for workers; a worker
 * takes it and is killed with SIGKILL while the logic spins. The Python child ends with it, and the
 * next worker to start removes the child's folder.
 */
describe('kill -9 of hekima worker while its Python logic runs', () => {
  let dir: string;
  let tmp: string;
  let python: { pid: number; args: string[] } | undefined;
  const workers: ChildProcess[] = [];
  const env = () => ({
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    HEKIMA_LOG_LEVEL: 'warn',
    TMPDIR: tmp,
  });
  const worker = () => {
    const child = spawn(process.execPath, [HEKIMA_BIN, 'worker', '--workers', '1'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
    workers.push(child);
    return { child, ended: new Promise((resolve) => child.on('exit', resolve)) };
  };
  const pythonChildren = () =>
    findProcesses((args) => args.some((a) => a.endsWith('/harness.py')) && args.some((a) => a.startsWith(dir)));

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'hekima-worker-kill-tmp-'));
    dir = await pythonWorkspace(SUMS_LOGIC, { consumer: 'def transform(inputs):\n    while True:\n        pass\n' });
    const run = await hekima(['run', '--product', 'py-sums', '--json'], dir, env());
    expect(run.code, run.stderr).toBe(0);
    expect(
      json<RunSummaryJson & { leftForWorkers: { product: string }[] }>(run).leftForWorkers.map((l) => l.product),
    ).toEqual(['py-next']);
    const first = worker();
    try {
      await waitUntil(() => pythonChildren().length > 0, 90_000, 'the Python child of hekima worker');
    } finally {
      python = pythonChildren()[0];
      first.child.kill('SIGKILL');
      await first.ended;
    }
  }, 150_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    for (const p of pythonChildren()) process.kill(p.pid, 'SIGKILL'); // only if the test failed
    if (dir) await rm(dir, { recursive: true, force: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('the Python child ends with the worker (within 10 s)', async () => {
    expect(python).toBeDefined();
    await waitUntil(() => !isAlive(python!.pid), 10_000, `python ${python!.pid} gone after hekima worker was killed`);
  });

  it('the next worker removes the folder the killed one left', async () => {
    const folder = dirname(python!.args.find((a) => a.endsWith('/harness.py'))!);
    expect(folder.startsWith(join(dir, '.hekima/tmp/'))).toBe(true);
    expect(existsSync(join(folder, 'config.json'))).toBe(true);
    await writeFile(join(dir, 'py-next/logic/transform.py'), NEXT_LOGIC); // the retry, if any, ends
    const next = worker();
    await waitUntil(() => !existsSync(folder), 60_000, `${folder} removed by the next worker`);
    next.child.kill('SIGTERM');
    await next.ended;
  }, 90_000);
});
