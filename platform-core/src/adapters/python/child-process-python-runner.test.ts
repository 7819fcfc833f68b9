import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HekimaError } from '../../domain/errors.js';
import type { PythonRunRequest } from '../../ports/python-runner.js';
import { ChildProcessPythonRunner } from './child-process-python-runner.js';

function setup(
  logic: string,
  rows: object[] = [
    { a: 1, b: 'x' },
    { a: 2, b: 'y' },
  ],
): PythonRunRequest {
  const dir = mkdtempSync(join(tmpdir(), 'hekima-pyrun-'));
  const module = join(dir, 'transform.py');
  writeFileSync(module, logic);
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const workDir = join(dir, 'work');
  mkdirSync(workDir);
  return {
    module,
    moduleLabel: 'p/logic/transform.py',
    inputs: [{ id: 'raw-things', path: input, columns: ['a', 'b'] }],
    workDir,
    timeoutMs: 20_000,
  };
}

async function failure(runner: ChildProcessPythonRunner, request: PythonRunRequest): Promise<HekimaError> {
  try {
    await runner.run(request);
  } catch (e) {
    return e as HekimaError;
  }
  throw new Error('expected a failure');
}

const LIST_LOGIC = `import sys
def transform(inputs):
    sys.stderr.write("working\\n")
    rows = inputs["raw-things"]
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    return [{"a": r["a"] * 10, "kind": type(inputs["raw-things"]).__name__} for r in rows]
`;

describe('ChildProcessPythonRunner', () => {
  const runner = new ChildProcessPythonRunner('python3', { ...process.env, PYTHONPATH: '' });

  it('passes lists of dicts without pandas and keeps stderr', async () => {
    const shim = mkdtempSync(join(tmpdir(), 'hekima-nopandas-'));
    mkdirSync(join(shim, 'pandas'));
    writeFileSync(join(shim, 'pandas', '__init__.py'), 'raise ImportError("pandas hidden by the test")\n');
    const request = setup(LIST_LOGIC);
    const result = await new ChildProcessPythonRunner('python3', { ...process.env, PYTHONPATH: shim }).run(request);
    expect(result.pandas).toBe(false);
    expect(result.columns).toEqual(['a', 'kind']);
    expect(result.stderr).toContain('working');
    const lines = readFileSync(result.outputPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { a: 10, kind: 'list' },
      { a: 20, kind: 'list' },
    ]);
  });

  it('passes DataFrames when pandas is importable', async () => {
    const shim = mkdtempSync(join(tmpdir(), 'hekima-fakepandas-'));
    mkdirSync(join(shim, 'pandas'));
    writeFileSync(
      join(shim, 'pandas', '__init__.py'),
      'class DataFrame:\n    def __init__(self, rows, columns):\n        self.rows, self.columns = rows, columns\n    def to_dict(self, orient):\n        return list(self.rows)\n',
    );
    const result = await new ChildProcessPythonRunner('python3', { ...process.env, PYTHONPATH: shim }).run(
      setup(LIST_LOGIC),
    );
    expect(result.pandas).toBe(true);
    expect(readFileSync(result.outputPath, 'utf8')).toContain('"kind": "DataFrame"');
  });

  it("reports an exception at the logic file's line, with the traceback", async () => {
    const e = await failure(
      runner,
      setup(
        'def helper(x):\n    return x["missing"]\n\ndef transform(inputs):\n    return [helper(r) for r in inputs["raw-things"]]\n',
      ),
    );
    expect(e.code).toBe('python_exception');
    expect(e.message).toMatch(/^p\/logic\/transform\.py:2: KeyError/);
    expect(e.details?.['line']).toBe(2);
    expect(String(e.details?.['traceback'])).toContain('KeyError');
  });

  it('reports a syntax error at its line', async () => {
    const e = await failure(runner, setup('def transform(inputs):\n    return [\n\nx = (\n'));
    expect(e.message).toMatch(/^p\/logic\/transform\.py:\d+: SyntaxError/);
  });

  it('kills the child on timeout', async () => {
    // An hour of sleep: only the kill ends it within the test's timeout.
    const e = await failure(runner, {
      ...setup('import time\ndef transform(inputs):\n    time.sleep(3600)\n'),
      timeoutMs: 500,
    });
    expect(e.kind).toBe('Cancelled');
    expect(e.code).toBe('timeout');
  });

  it('enforces the memory limit', async () => {
    const e = await failure(runner, {
      ...setup('def transform(inputs):\n    block = bytearray(600 * 1024 * 1024)\n    return []\n'),
      memoryBytes: 256 * 2 ** 20,
    });
    expect(e.code).toBe('memory_limit');
  });
});
