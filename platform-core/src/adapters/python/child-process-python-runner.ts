import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { abortError, cancelled, permanent, throwIfAborted } from '../../domain/errors.js';
import type { PythonRunner, PythonRunRequest, PythonRunResult } from '../../ports/python-runner.js';
import { PYTHON_HARNESS } from './python-harness.js';

interface Frame {
  readonly file: string;
  readonly line: number | null;
  readonly name: string;
  readonly text: string | null;
}

type Report =
  | { ok: true; columns: string[]; rows: number; pandas: boolean; sandbox?: string[] }
  | { ok: false; type: string; message: string; frames: Frame[]; traceback: string; sandbox?: string[] };

/** What logic written for DataFrames raises on a list of dicts: `inputs["x"].groupby(…)`, `inputs["x"]["col"]`. */
const LIST_MISUSE =
  /^(AttributeError: 'list' object has no attribute|TypeError: list indices must be integers or slices, not str)/;

/** `required` (default): no run without the kernel layers (Landlock + seccomp); `best-effort`: warn. */
export type PythonSandboxMode = 'required' | 'best-effort';

const STDERR_LIMIT = 64 * 1024;
/** The child's own deadline comes this long after this process's timer, which normally fires first. */
export const OWN_DEADLINE_GRACE_MS = 2_000;

/**
 * Runs `transform(inputs)` in a `python3` child (configurable): RLIMIT_AS set in the child,
 * confined to its inputs, its module's folder and its run directory (ADR 0015), a minimal
 * environment, killed on timeout or abort, stderr kept, an exception mapped to the logic file's line.
 * The child never outlives this process nor its own deadline (python-lifetime.ts, ADR 0019).
 */
export class ChildProcessPythonRunner implements PythonRunner {
  constructor(
    private readonly python: string = 'python3',
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly sandbox: PythonSandboxMode = 'required',
  ) {}

  async run(request: PythonRunRequest): Promise<PythonRunResult> {
    throwIfAborted(request.signal, 'the Python logic');
    const { workDir } = request;
    const files = {
      harness: join(workDir, 'harness.py'),
      config: join(workDir, 'config.json'),
      output: join(workDir, 'output.jsonl'),
      result: join(workDir, 'result.json'),
    };
    await writeFile(files.harness, PYTHON_HARNESS);
    const config = {
      module: request.module,
      inputs: request.inputs,
      output: files.output,
      result: files.result,
      read: [
        ...request.inputs.map((i) => i.path),
        request.module,
        ...[dirname(request.module), ...(request.readable ?? [])].filter(notAWorkspaceRoot),
      ],
      write: [workDir],
      require_sandbox: this.sandbox === 'required',
      ...(request.memoryBytes ? { memory_bytes: request.memoryBytes } : {}),
      // Dies with this process (stdin is a pipe only this process holds) and by its own clock.
      parent_pipe: true,
      ...(request.timeoutMs !== undefined ? { deadline_ms: request.timeoutMs + OWN_DEADLINE_GRACE_MS } : {}),
    };
    await writeFile(files.config, JSON.stringify(config));
    const { code, signal, stderr, timedOut } = await this.spawn(files.harness, files.config, request);
    // SIGALRM / SIGXCPU: the child ended itself at its own deadline (this process's timer did not fire).
    if (timedOut || (request.timeoutMs !== undefined && (signal === 'SIGALRM' || signal === 'SIGXCPU')))
      throw cancelled(
        'timeout',
        `${request.moduleLabel}: the Python logic ran longer than ${request.timeoutMs} ms and was killed`,
        { details: { file: request.moduleLabel, timeoutMs: request.timeoutMs, stderr, ...(signal ? { signal } : {}) } },
      );
    if (request.signal?.aborted) throw abortError(request.signal, 'the Python logic');
    const report = await readFile(files.result, 'utf8').then(
      (t) => JSON.parse(t) as Report,
      () => undefined,
    );
    if (report?.ok)
      return {
        outputPath: files.output,
        columns: report.columns,
        rowCount: report.rows,
        stderr,
        pandas: report.pandas,
        ...(report.sandbox ? { sandbox: report.sandbox } : {}),
      };
    if (report && !report.ok) throw await this.exceptionError(report, request, stderr);
    const memory = /MemoryError|Cannot allocate memory/.test(stderr);
    throw permanent(
      memory ? 'memory_limit' : 'python_failed',
      `${request.moduleLabel}: the Python process ${signal ? `was ended by ${signal}` : `exited with code ${code}`}${memory ? ' (memory limit)' : ''}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
      {
        details: { file: request.moduleLabel, exitCode: code, ...(signal ? { signal } : {}), stderr },
      },
    );
  }

  private async exceptionError(
    report: Extract<Report, { ok: false }>,
    request: PythonRunRequest,
    stderr: string,
  ): Promise<Error> {
    const module = await realpath(request.module).catch(() => request.module);
    const mine: Frame[] = [];
    for (const f of report.frames) if ((await realpath(f.file).catch(() => f.file)) === module) mine.push(f);
    const frame = mine[mine.length - 1];
    const where = frame?.line ? `${request.moduleLabel}:${frame.line}` : request.moduleLabel;
    if (report.type === 'SandboxUnavailable')
      return permanent(
        'sandbox_unavailable',
        `${request.moduleLabel}: the Python sandbox cannot be applied on this machine (${report.message}); ` +
          'run on Linux ≥ 5.13 with Landlock enabled, or set the Python sandbox to best-effort (ADR 0015)',
        { details: { file: request.moduleLabel, stderr } },
      );
    const missing =
      report.type === 'ModuleNotFoundError' ? /No module named '([^'.]+)/.exec(report.message)?.[1] : undefined;
    if (missing)
      return permanent(
        'python_module_missing',
        `${where}: the logic imports ${missing}, which ${this.python} cannot import. Install it for that interpreter ` +
          `(\`${this.python} -m pip install ${missing}\`; on Debian \`apt install python3-${missing}\`). ` +
          'Inputs arrive as lists of dicts, one per row (ADR 0023): logic that only reads rows needs no package.',
        {
          details: { file: request.moduleLabel, module: missing, ...(frame?.line ? { line: frame.line } : {}), stderr },
        },
      );
    const denied = report.type === 'PermissionError';
    const code = report.type === 'MemoryError' ? 'memory_limit' : denied ? 'sandbox_denied' : 'python_exception';
    const hint = denied
      ? ` (the Python sandbox [${(report.sandbox ?? []).join(', ')}] lets the logic read only its inputs, its own folder and its run directory)`
      : LIST_MISUSE.test(`${report.type}: ${report.message}`)
        ? ` (each input is a list of dicts, one per row, not a DataFrame (ADR 0023): iterate its rows, or build one with pandas.DataFrame(inputs["<id>"]))`
        : '';
    return permanent(code, `${where}: ${report.type}: ${report.message}${hint}`, {
      details: {
        file: request.moduleLabel,
        ...(frame?.line ? { line: frame.line, function: frame.name } : {}),
        exception: report.type,
        ...(report.sandbox ? { sandbox: report.sandbox } : {}),
        traceback: report.traceback,
        stderr,
      },
    });
  }

  private spawn(
    harness: string,
    config: string,
    request: PythonRunRequest,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; timedOut: boolean }> {
    return new Promise((resolve, reject) => {
      // stdin: a pipe nothing is ever written to; the child ends itself when it closes (this
      // process died, even by SIGKILL). PR_SET_PDEATHSIG in the child does the same in the kernel.
      const child = spawn(this.python, ['-B', harness, config], {
        cwd: request.workDir,
        stdio: ['pipe', 'ignore', 'pipe'],
        env: childEnv(this.env, request.workDir),
      });
      child.stdin.on('error', () => undefined); // EPIPE once the child has ended: nothing was to be written
      let stderr = '';
      let timedOut = false;
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (stderr.length < STDERR_LIMIT) stderr += d.slice(0, STDERR_LIMIT - stderr.length);
      });
      const kill = () => child.kill('SIGKILL');
      const timer =
        request.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), kill()), request.timeoutMs);
      request.signal?.addEventListener('abort', kill, { once: true });
      if (request.signal?.aborted) kill(); // aborted while the child was starting
      child.on('error', (e) =>
        reject(permanent('python_unavailable', `cannot start ${this.python}: ${e.message}`, { cause: e })),
      );
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        request.signal?.removeEventListener('abort', kill);
        child.stdin.destroy();
        resolve({ code, signal, stderr, timedOut });
      });
    });
  }
}

/**
 * A folder the logic may read must not hold a workspace's state (`.hekima/`: catalog, lake): a
 * module at the workspace root gets only its own file, never the folder.
 */
function notAWorkspaceRoot(dir: string): boolean {
  return !existsSync(join(dir, '.hekima')) && !existsSync(join(dir, 'hekima.yaml'));
}

/**
 * Only what Python needs: PATH, HOME (user site-packages), PYTHONPATH, locale; one BLAS thread;
 * temporary files in the run directory. Nothing else is inherited (no secrets, no HEKIMA_*).
 */
function childEnv(env: Readonly<Record<string, string | undefined>>, workDir: string): Record<string, string> {
  const out: Record<string, string> = {
    TMPDIR: workDir,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
  };
  for (const key of ['PATH', 'HOME', 'PYTHONPATH', 'LANG', 'LC_ALL', 'VIRTUAL_ENV']) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
