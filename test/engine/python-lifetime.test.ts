import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PYTHON_HARNESS } from '../../platform-core/src/adapters/python/python-harness.js';
import { ChildProcessPythonRunner } from '../../platform-core/src/adapters/python/child-process-python-runner.js';
import { isAlive, waitUntil } from './support/process-helpers.js';

/**
 * The Python child's lifetime (issue 10 D, ADR 0019): it never outlives its parent, nor its own
 * deadline, whatever the parent does. The harness is started here as the runner starts it (same
 * script, same configuration keys) so that the parent's side can misbehave on purpose.
 */
const started: ChildProcess[] = [];
const strays: number[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  for (const pid of strays.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** A run folder with the harness, its configuration and a logic that writes `started` first. */
function prepare(logic: string, config: Record<string, unknown>): { dir: string; args: string[]; marker: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hekima-lifetime-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  const module = join(dir, 'transform.py');
  const marker = join(work, 'started');
  writeFileSync(
    module,
    `def transform(inputs):\n    open(${JSON.stringify(marker)}, "w").close()\n${logic.replace(/^/gm, '    ')}\n`,
  );
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, '{"a": 1}\n');
  writeFileSync(join(work, 'harness.py'), PYTHON_HARNESS);
  writeFileSync(
    join(work, 'config.json'),
    JSON.stringify({
      module,
      inputs: [{ id: 'raw', path: input, columns: ['a'] }],
      output: join(work, 'output.jsonl'),
      result: join(work, 'result.json'),
      read: [input, module, dir],
      write: [work],
      require_sandbox: true,
      parent_pipe: true,
      ...config,
    }),
  );
  return { dir: work, args: ['-B', join(work, 'harness.py'), join(work, 'config.json')], marker };
}

function exited(child: ChildProcess, withinMs: number): Promise<NodeJS.Signals | number | 'still running'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), withinMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code ?? -1);
    });
  });
}

function python(args: string[], stdin: 'pipe' | 'ignore' = 'pipe'): ChildProcess {
  const child = spawn('python3', args, { stdio: [stdin, 'ignore', 'inherit'], env: { PATH: process.env['PATH'] } });
  started.push(child);
  return child;
}

describe('the Python child ends at its own deadline, without its parent', () => {
  it('a busy loop is ended by the kernel at the deadline (ITIMER_REAL, SIGALRM at its default action)', async () => {
    const { args } = prepare('while True:\n    pass', { deadline_ms: 1_000 });
    expect(await exited(python(args), 30_000)).toBe('SIGALRM');
  });

  it('logic that catches SIGALRM and SIGXCPU is still ended by RLIMIT_CPU (SIGKILL at the hard limit)', async () => {
    const { args } = prepare(
      'import signal\nsignal.signal(signal.SIGALRM, lambda *a: None)\nsignal.signal(signal.SIGXCPU, lambda *a: None)\nwhile True:\n    pass',
      { deadline_ms: 1_000 },
    );
    expect(await exited(python(args), 30_000)).toBe('SIGKILL');
  });
});

describe('the Python child ends with its parent', () => {
  it('ends itself when the pipe its parent holds closes (the parent died)', async () => {
    const { args, marker } = prepare('while True:\n    pass', {});
    const child = python(args);
    await waitUntil(() => existsSync(marker), 20_000, 'the logic started');
    child.stdin?.destroy();
    expect(await exited(child, 15_000)).toBe('SIGKILL');
  });

  it('is killed by the kernel when its parent is killed with SIGKILL (PR_SET_PDEATHSIG)', async () => {
    // The parent is a shell; the pipe on the child's stdin stays open here, so only the kernel's
    // parent-death signal can end it.
    const { args, marker } = prepare('while True:\n    pass', {});
    const shell = spawn('sh', ['-c', 'python3 "$@"; true', 'sh', ...args], {
      stdio: ['pipe', 'ignore', 'inherit'],
      env: { PATH: process.env['PATH'] },
    });
    started.push(shell);
    await waitUntil(() => existsSync(marker), 20_000, 'the logic started');
    const children = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim().split(/\s+/);
    const pid = Number(children[0]);
    expect(pid).toBeGreaterThan(0);
    strays.push(pid);
    shell.kill('SIGKILL');
    await waitUntil(() => !isAlive(pid), 15_000, `python ${pid} ended after its parent's SIGKILL`);
  });
});

describe('the logic cannot undo its limits (seccomp)', () => {
  it('refuses raising RLIMIT_CPU, clearing the timer or the parent-death signal, and fork; threads still work', async () => {
    const runner = new ChildProcessPythonRunner('python3', { PATH: process.env['PATH'] });
    const { dir } = prepare('', {});
    const module = join(dir, 'escape.py');
    writeFileSync(
      module,
      [
        'import ctypes, resource, signal, threading',
        'def attempt(fn):',
        '    try:',
        '        r = fn()',
        '        return "refused" if r == -1 else "allowed"',
        '    except OSError:',
        '        return "refused"',
        'def transform(inputs):',
        '    libc = ctypes.CDLL(None, use_errno=True)',
        '    inf = resource.RLIM_INFINITY',
        '    box = []',
        '    t = threading.Thread(target=lambda: box.append(1))',
        '    t.start(); t.join()',
        '    return [{',
        '        "cpu": attempt(lambda: resource.setrlimit(resource.RLIMIT_CPU, (inf, inf))),',
        '        "timer": attempt(lambda: signal.setitimer(signal.ITIMER_REAL, 0)),',
        '        "pdeathsig": attempt(lambda: libc.prctl(1, 0, 0, 0, 0)),',
        '        "fork": attempt(lambda: libc.fork()),',
        '        "thread": "ran" if box else "failed",',
        '    }]',
      ].join('\n'),
    );
    const result = await runner.run({ module, moduleLabel: 'escape.py', inputs: [], workDir: dir, timeoutMs: 20_000 });
    const row = JSON.parse(readFileSync(result.outputPath, 'utf8').trim()) as Record<string, string>;
    expect(row).toEqual({ cpu: 'refused', timer: 'refused', pdeathsig: 'refused', fork: 'refused', thread: 'ran' });
  });
});
