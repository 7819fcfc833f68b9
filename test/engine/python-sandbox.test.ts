import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildProcessPythonRunner } from '../../platform-core/src/adapters/python/child-process-python-runner.js';
import type { HekimaError } from '../../platform-core/src/domain/errors.js';
import type { PythonRunRequest, PythonRunResult } from '../../platform-core/src/ports/python-runner.js';

/**
 * The Python sandbox (ADR 0015): a workspace with a catalog and two tenants' lake paths; the logic
 * of one product tries to reach beyond its inputs.
 */
function workspace(logic: string): { root: string; request: PythonRunRequest } {
  const root = mkdtempSync(join(tmpdir(), 'hekima-sandbox-ws-'));
  mkdirSync(join(root, 'p/logic'), { recursive: true });
  writeFileSync(join(root, 'p/logic/transform.py'), logic);
  writeFileSync(join(root, 'p/logic/helpers.py'), 'FACTOR = 10\n');
  mkdirSync(join(root, '.hekima/catalog'), { recursive: true });
  writeFileSync(join(root, '.hekima/catalog/PG_VERSION'), 'catalog secrets\n');
  mkdirSync(join(root, '.hekima/lake/globex/orders'), { recursive: true });
  writeFileSync(join(root, '.hekima/lake/globex/orders/snap-1.jsonl'), '{"a": 99}\n');
  mkdirSync(join(root, '.hekima/lake/acme/raw-things'), { recursive: true });
  const input = join(root, '.hekima/lake/acme/raw-things/snap-1.jsonl');
  writeFileSync(input, '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n');
  const workDir = mkdtempSync(join(tmpdir(), 'hekima-sandbox-run-'));
  return {
    root,
    request: {
      module: join(root, 'p/logic/transform.py'),
      moduleLabel: 'p/logic/transform.py',
      inputs: [{ id: 'raw-things', path: input, columns: ['a', 'b'] }],
      workDir,
      timeoutMs: 20_000,
    },
  };
}

const secrets = { ...process.env, HEKIMA_SECRET_KEY: 'k-123', ERP_PASSWORD: 'hunter2', PYTHONPATH: '' };
const runner = new ChildProcessPythonRunner('python3', secrets);

async function failure(request: PythonRunRequest, with_ = runner): Promise<HekimaError> {
  try {
    await with_.run(request);
  } catch (e) {
    return e as HekimaError;
  }
  throw new Error('expected the run to fail');
}

function rows(result: PythonRunResult): unknown[] {
  return readFileSync(result.outputPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('Python sandbox: the logic reads only its inputs', () => {
  it('denies /etc/passwd, naming the file and the line of the logic', async () => {
    const { request } = workspace(
      'def transform(inputs):\n    x = 1\n    return [{"t": open("/etc/passwd").read()}]\n',
    );
    const e = await failure(request);
    expect(e.code).toBe('sandbox_denied');
    expect(e.message).toMatch(/^p\/logic\/transform\.py:3: PermissionError: .*'\/etc\/passwd'/);
    expect(e.message).toContain('read only its inputs');
    expect(e.details?.['line']).toBe(3);
  });

  it("denies the workspace's .hekima catalog and another tenant's lake path, also by listing", async () => {
    for (const [code, path] of [
      ['open(ROOT + "/.hekima/catalog/PG_VERSION").read()', '.hekima/catalog/PG_VERSION'],
      ['open(ROOT + "/.hekima/lake/globex/orders/snap-1.jsonl").read()', '.hekima/lake/globex/orders/snap-1.jsonl'],
      ['__import__("os").listdir(ROOT + "/.hekima/lake")', '.hekima/lake'],
    ] as const) {
      const { root, request } = workspace('ROOT = None\ndef transform(inputs):\n    return [{"t": ' + code + '}]\n');
      writeFileSync(request.module, readFileSync(request.module, 'utf8').replace('None', JSON.stringify(root)));
      const e = await failure(request);
      expect(e.code, path).toBe('sandbox_denied');
      expect(e.message).toContain(`p/logic/transform.py:3: PermissionError`);
      expect(e.message).toContain(join(root, path));
    }
  });

  it('passes no secret in the environment, and the parent process environment cannot be read', async () => {
    const env = workspace('import os\ndef transform(inputs):\n    return [{"k": os.environ["ERP_PASSWORD"]}]\n');
    const e = await failure(env.request);
    expect(e.code).toBe('python_exception');
    expect(e.message).toMatch(/^p\/logic\/transform\.py:3: KeyError: 'ERP_PASSWORD'/);
    const listed = workspace(
      'import os\ndef transform(inputs):\n    return [{"names": ",".join(sorted(os.environ))}]\n',
    );
    const names = String((rows(await runner.run(listed.request))[0] as { names: string }).names).split(',');
    expect(names.filter((n) => /SECRET|PASSWORD|HEKIMA|TOKEN/.test(n))).toEqual([]);
    const proc = workspace(
      'import os\ndef transform(inputs):\n    return [{"e": open("/proc/%d/environ" % os.getppid()).read()}]\n',
    );
    const p = await failure(proc.request);
    expect(p.code).toBe('sandbox_denied');
    expect(p.message).toMatch(/^p\/logic\/transform\.py:3: PermissionError: .*\/proc\/\d+\/environ/);
  });

  it('is enforced by the kernel: libc open/socket through ctypes (bypassing the audit hook) are refused', async () => {
    const { request } = workspace(
      [
        'import ctypes',
        'def transform(inputs):',
        '    libc = ctypes.CDLL(None, use_errno=True)',
        '    fd = libc.open(b"/etc/passwd", 0)',
        '    open_errno = ctypes.get_errno()',
        '    sock = libc.socket(1, 1, 0)',
        '    sock_errno = ctypes.get_errno()',
        '    tcp = libc.socket(2, 1, 0)',
        '    return [{"fd": fd, "open_errno": open_errno, "unix": sock, "sock_errno": sock_errno, "tcp": tcp}]',
        '',
      ].join('\n'),
    );
    const result = await runner.run(request);
    expect(result.sandbox).toEqual(expect.arrayContaining([expect.stringMatching(/^landlock-v\d+$/), 'seccomp']));
    expect(rows(result)).toEqual([{ fd: -1, open_errno: 13, unix: -1, sock_errno: 13, tcp: -1 }]);
  });

  it('refuses processes, sockets and writes outside the run directory', async () => {
    for (const [code, what] of [
      ['__import__("subprocess").run(["cat", "/etc/passwd"])', 'starting a process'],
      ['__import__("socket").create_connection(("127.0.0.1", 5432))', 'network access'],
      ['open("/tmp/hekima-escape.txt", "w").write("x")', 'writing of'],
    ] as const) {
      const { request } = workspace('def transform(inputs):\n    return [{"t": ' + code + '}]\n');
      const e = await failure(request);
      expect(e.code, what).toBe('sandbox_denied');
      expect(e.message).toContain(what);
      expect(e.message).toMatch(/^p\/logic\/transform\.py:2: PermissionError/);
    }
  });

  it('still runs normal logic: inputs, a helper module beside it, temp files in the run directory', async () => {
    const { request } = workspace(
      [
        'import tempfile, json, datetime',
        'from helpers import FACTOR',
        'def transform(inputs):',
        '    rows = inputs["raw-things"]',
        '    if hasattr(rows, "to_dict"):',
        '        rows = rows.to_dict("records")',
        '    with tempfile.TemporaryFile("w+") as scratch:',
        '        scratch.write(json.dumps(rows))',
        '    return [{"a": r["a"] * FACTOR, "b": r["b"], "d": datetime.date(2026, 1, 2)} for r in rows]',
        '',
      ].join('\n'),
    );
    const result = await runner.run(request);
    expect(rows(result)).toEqual([
      { a: 10, b: 'x', d: '2026-01-02' },
      { a: 20, b: 'y', d: '2026-01-02' },
    ]);
  });
});

/**
 * A `python3` on a kernel without Landlock: a wrapper installs a seccomp filter answering ENOSYS to
 * the Landlock system calls (444–446), then execs the real interpreter (the filter survives exec).
 */
function pythonWithoutLandlock(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hekima-nolandlock-'));
  const wrapper = join(dir, 'python3');
  const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  writeFileSync(
    wrapper,
    [
      `#!${real}`,
      'import ctypes, os, struct, sys',
      'def stmt(code, k): return struct.pack("HBBI", code, 0, 0, k)',
      'def jeq(k, jt, jf): return struct.pack("HBBI", 0x15, jt, jf, k)',
      'ENOSYS = 0x00050000 | 38',
      'prog = [stmt(0x20, 0), jeq(444, 3, 0), jeq(445, 2, 0), jeq(446, 1, 0), stmt(0x06, 0x7FFF0000), stmt(0x06, ENOSYS)]',
      'filt = ctypes.create_string_buffer(b"".join(prog))',
      'fprog = ctypes.create_string_buffer(struct.pack("HxxxxxxP", len(prog), ctypes.addressof(filt)))',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'assert libc.prctl(38, 1, 0, 0, 0) == 0',
      'assert libc.prctl(22, 2, fprog, 0, 0) == 0, ctypes.get_errno()',
      `os.execv(${JSON.stringify(real)}, [${JSON.stringify(real)}] + sys.argv[1:])`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return wrapper;
}

describe('Python sandbox: a module at the workspace root', () => {
  it('gets its own file, never the folder that holds .hekima/', async () => {
    const { root, request } = workspace('');
    const module = join(root, 'root_logic.py');
    writeFileSync(
      module,
      'def transform(inputs):\n    return [{"t": open(ROOT + "/.hekima/catalog/PG_VERSION").read()}]\nROOT = ' +
        JSON.stringify(root) +
        '\n',
    );
    const e = await failure({ ...request, module, moduleLabel: 'root_logic.py' });
    expect(e.code).toBe('sandbox_denied');
    expect(e.message).toMatch(/^root_logic\.py:2: PermissionError: .*\.hekima\/catalog\/PG_VERSION/);
  });
});

describe('Python sandbox fails closed', () => {
  it('refuses to run the logic where Landlock is unavailable, unless best-effort is chosen', async () => {
    const python = pythonWithoutLandlock();
    const { request } = workspace('def transform(inputs):\n    return [{"a": 1}]\n');
    const e = await failure(request, new ChildProcessPythonRunner(python, secrets));
    expect(e.code).toBe('sandbox_unavailable');
    expect(e.message).toMatch(
      /^p\/logic\/transform\.py: the Python sandbox cannot be applied on this machine \(landlock unavailable \(errno 38\)\)/,
    );
    expect(e.message).toContain('Landlock');

    // best-effort: runs with the layers that applied, says so on stderr; the audit hook still refuses.
    const relaxed = new ChildProcessPythonRunner(python, secrets, 'best-effort');
    const ran = await relaxed.run(workspace('def transform(inputs):\n    return [{"a": 1}]\n').request);
    expect(ran.sandbox).toEqual(['seccomp', 'audit-hook']);
    expect(ran.stderr).toContain('hekima: sandbox layer not applied: landlock unavailable');
    const denied = await failure(
      workspace('def transform(inputs):\n    return [{"t": open("/etc/passwd").read()}]\n').request,
      relaxed,
    );
    expect(denied.code).toBe('sandbox_denied');
    expect(denied.message).toContain('[seccomp, audit-hook]');
  });
});

/**
 * A python with real pandas: HEKIMA_TEST_PANDAS_PYTHON when set (used as given, so a broken one
 * fails the suite rather than skipping it; .ci/run sets it), else python3 when it imports pandas.
 */
function pandasPython(): string | undefined {
  const configured = process.env['HEKIMA_TEST_PANDAS_PYTHON'];
  if (configured) return configured;
  try {
    execFileSync('python3', ['-c', 'import pandas'], { stdio: 'ignore' });
    return 'python3';
  } catch {
    return undefined;
  }
}
const withPandas = pandasPython();

// A machine without pandas cannot run this suite (.ci/run makes one from the package index and
// says so when it cannot); everything else about Python logic is tested without pandas.
// eslint-disable-next-line no-restricted-properties -- pandas is an optional part of the machine
describe.skipIf(withPandas === undefined)('Python sandbox with real pandas', () => {
  it('imports pandas and numpy inside the sandbox and runs DataFrame logic', async () => {
    const { request } = workspace(
      [
        'import pandas as pd, numpy as np',
        'def transform(inputs):',
        '    df = pd.DataFrame(inputs["raw-things"])  # inputs are lists of dicts (ADR 0023)',
        '    df["a"] = df["a"].astype("float64") * np.float64(1.5)',
        '    df["when"] = pd.Timestamp("2026-01-02", tz="UTC")',
        '    return df.groupby("b", as_index=False).agg(total=("a", "sum"), when=("when", "max"))',
        '',
      ].join('\n'),
    );
    const result = await new ChildProcessPythonRunner(withPandas, secrets).run(request);
    expect(result.pandas).toBe(true);
    expect(rows(result)).toEqual([
      { b: 'x', total: 1.5, when: '2026-01-02T00:00:00+00:00' },
      { b: 'y', total: 3, when: '2026-01-02T00:00:00+00:00' },
    ]);
    const denied = workspace('import pandas as pd\ndef transform(inputs):\n    return pd.read_csv("/etc/passwd")\n');
    const e = await failure(denied.request, new ChildProcessPythonRunner(withPandas, secrets));
    expect(e.code).toBe('sandbox_denied');
    expect(e.message).toContain('p/logic/transform.py:3');
  });
});
