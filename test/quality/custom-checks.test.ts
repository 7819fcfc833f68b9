import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { DuckDbEngine } from '../../platform-core/src/adapters/duckdb/duckdb-engine.js';
import { LangiumCheckExpressions } from '../../platform-core/src/adapters/langium/langium-check-expressions.js';
import { FsScratchSpace } from '../../platform-core/src/adapters/fs/fs-scratch-space.js';
import { ChildProcessPythonRunner } from '../../platform-core/src/adapters/python/child-process-python-runner.js';
import { runQualityGate } from '../../platform-core/src/application/quality/run-quality-gate.js';
import { planCheck, writeParquet } from './support/parquet.js';

let dir: string;
let output: string;
const deps = {
  checkEngine: new DuckDbCheckEngine(),
  expressions: new LangiumCheckExpressions(),
  engine: new DuckDbEngine(),
  python: new ChildProcessPythonRunner(),
  scratch: new FsScratchSpace(),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hekima-custom-'));
  output = await writeParquet(
    join(dir, 'output.parquet'),
    `SELECT * FROM (VALUES (1, 10.5), (2, -3.0), (3, 7.25)) AS t(id, amount)`,
  );
  await mkdir(join(dir, 'checks'));
  const py = (name: string, body: string) => writeFile(join(dir, 'checks', name), body);
  await py(
    'positive.py',
    'def rows(output):\n    return output.to_dict("records") if hasattr(output, "to_dict") else output\n\ndef check(output):\n    bad = [r for r in rows(output) if r["amount"] < 0]\n    return {"pass": not bad, "value": len(bad), "message": "%d negative amount(s)" % len(bad)}\n',
  );
  await py('enough.py', 'def check(output):\n    return (len(output) >= 3, "%d rows" % len(output))\n');
  await py('plain.py', 'def check(output):\n    return len(output) > 100\n');
  await py(
    'boom.py',
    'def helper():\n    raise ValueError("the drift model is missing")\n\ndef check(output):\n    return helper()\n',
  );
  await py('wrong.py', 'def check(output):\n    return "yes"\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const gate = (checks: ReturnType<typeof planCheck>[]) =>
  runQualityGate(deps, { checks, outputPath: output, workspaceRoot: dir });

describe('custom_sql with expect', () => {
  const sql = 'SELECT COUNT(*) AS failures FROM {output} WHERE amount < 0';

  it('passes and fails on the single result row, explaining the values', async () => {
    const { checks } = await gate([
      planCheck(
        'none_below_minus_5',
        'custom_sql',
        {},
        { sql: 'SELECT COUNT(*) AS failures FROM {output} WHERE amount < -5', expect: 'failures = 0' },
      ),
      planCheck('no_negatives', 'custom_sql', {}, { sql, expect: 'failures = 0' }),
    ]);
    expect(checks[0]).toMatchObject({ status: 'passed', measured: { failures: 0 }, threshold: 'failures = 0' });
    expect(checks[1]).toMatchObject({ status: 'failed', measured: { failures: 1 }, threshold: 'failures = 0' });
    expect(checks[1]!.message).toMatch(/failures = 1/);
  });

  it('a NULL makes the expectation unknown, which fails', async () => {
    const { checks } = await gate([
      planCheck(
        'nulls',
        'custom_sql',
        {},
        { sql: 'SELECT CAST(NULL AS INTEGER) AS failures FROM {output} LIMIT 1', expect: 'failures = 0' },
      ),
    ]);
    expect(checks[0]).toMatchObject({ status: 'failed', measured: { failures: null } });
  });

  it('a query returning no row fails, saying so', async () => {
    const { checks } = await gate([
      planCheck(
        'empty',
        'custom_sql',
        {},
        { sql: 'SELECT id AS failures FROM {output} WHERE FALSE', expect: 'failures = 0' },
      ),
    ]);
    expect(checks[0]).toMatchObject({ status: 'failed', measured: 0 });
    expect(checks[0]!.message).toContain('exactly one row');
  });
});

describe('custom_python: check(output) -> bool | (bool, str) | dict', () => {
  it('reads pass, value and message from a dict, a tuple or a bool', async () => {
    const { checks } = await gate([
      planCheck('positive', 'custom_python', {}, { entrypoint: 'checks/positive.py' }),
      planCheck('enough', 'custom_python', {}, { entrypoint: 'checks/enough.py' }),
      planCheck('plain', 'custom_python', {}, { entrypoint: 'checks/plain.py', severity: 'warn' }),
    ]);
    expect(checks[0]).toMatchObject({ status: 'failed', measured: 1, message: 'failed: 1 negative amount(s)' });
    expect(checks[1]).toMatchObject({ status: 'passed', measured: null, message: 'passed: 3 rows' });
    expect(checks[2]).toMatchObject({ status: 'failed', severity: 'warn', blocking: false });
  });

  it('an exception is a failed check (error) naming the entrypoint line of the traceback', async () => {
    const { checks, promote } = await gate([planCheck('boom', 'custom_python', {}, { entrypoint: 'checks/boom.py' })]);
    expect(checks[0]).toMatchObject({ status: 'error', blocking: true });
    expect(checks[0]!.message).toBe('error: checks/boom.py:2: ValueError: the drift model is missing');
    expect(promote).toBe(false);
  });

  it('a return value outside the contract is an error', async () => {
    const { checks } = await gate([planCheck('wrong', 'custom_python', {}, { entrypoint: 'checks/wrong.py' })]);
    expect(checks[0]!.status).toBe('error');
    expect(checks[0]!.message).toMatch(/TypeError: check\(output\) must return a bool/);
  });
});
