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

  it('passes lists of dicts when pandas is importable too, and takes a DataFrame back (ADR 0023)', async () => {
    const shim = mkdtempSync(join(tmpdir(), 'hekima-fakepandas-'));
    mkdirSync(join(shim, 'pandas'));
    writeFileSync(
      join(shim, 'pandas', '__init__.py'),
      'class DataFrame:\n    def __init__(self, rows):\n        self.rows, self.columns = rows, list(rows[0])\n    def to_dict(self, orient):\n        return list(self.rows)\n',
    );
    const logic =
      'import pandas\ndef transform(inputs):\n    rows = inputs["raw-things"]\n    return pandas.DataFrame([{"a": r["a"], "kind": type(rows).__name__} for r in rows])\n';
    const result = await new ChildProcessPythonRunner('python3', { ...process.env, PYTHONPATH: shim }).run(
      setup(logic),
    );
    expect(result.pandas).toBe(true);
    expect(result.columns).toEqual(['a', 'kind']);
    expect(readFileSync(result.outputPath, 'utf8')).toBe('{"a": 1, "kind": "list"}\n{"a": 2, "kind": "list"}\n');
  });

  it('says which package is missing when the logic imports one the interpreter lacks (pandas)', async () => {
    const shim = mkdtempSync(join(tmpdir(), 'hekima-nopandas-'));
    mkdirSync(join(shim, 'pandas'));
    writeFileSync(
      join(shim, 'pandas', '__init__.py'),
      'raise ModuleNotFoundError("No module named \'pandas\'", name="pandas")\n',
    );
    const e = await failure(
      new ChildProcessPythonRunner('python3', { ...process.env, PYTHONPATH: shim }),
      setup('import pandas as pd\n\ndef transform(inputs):\n    return pd.DataFrame(inputs["raw-things"])\n'),
    );
    expect(e.code).toBe('python_module_missing');
    expect(e.message).toMatch(/^p\/logic\/transform\.py:1: the logic imports pandas, which python3 cannot import\./);
    expect(e.message).toContain('python3 -m pip install pandas');
    expect(e.details?.['module']).toBe('pandas');
  });

  it('explains the contract when logic treats an input as a DataFrame', async () => {
    const e = await failure(runner, setup('def transform(inputs):\n    return inputs["raw-things"].groupby("b")\n'));
    expect(e.code).toBe('python_exception');
    expect(e.message).toMatch(/^p\/logic\/transform\.py:2: AttributeError: 'list' object has no attribute 'groupby'/);
    expect(e.message).toContain('each input is a list of dicts, one per row, not a DataFrame');
    const indexed = await failure(runner, setup('def transform(inputs):\n    return inputs["raw-things"]["a"]\n'));
    expect(indexed.message).toContain('pandas.DataFrame(inputs["<id>"])');
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
