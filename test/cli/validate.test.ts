import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'hekima-validate-'));
const ws = join(tmp, 'ws');
cpSync(join(workspacesRoot, 'minimal'), ws, { recursive: true });
// One schema error (an enum typo) and one unknown key (warning) in orders.
writeFileSync(
  join(ws, 'orders/serving.yaml'),
  'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytic\n    descripton: typo\n',
);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hekima validate', () => {
  it('exits 0 on a valid workspace and ends with a count', async () => {
    const r = await hekima(['validate', join(workspacesRoot, 'minimal')], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ valid: 0 errors, 0 warnings \(3 products, full validation/);
  });

  it('groups findings by file with line:col and exits 1 on errors', async () => {
    const r = await hekima(['validate', 'ws'], tmp);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('ws/orders/serving.yaml');
    expect(r.stdout).toMatch(/^ {2}4:11 +error +endpoints\[0\]\.type has 'analytic'.*SCH-003$/m);
    expect(r.stdout).toMatch(/Did you mean 'analytics'\?/);
    expect(r.stdout).toMatch(/^ {2}5:5 +warning +unknown key 'descripton'.*SCH-007$/m);
    expect(r.stdout).toMatch(/✖ 1 error, 1 warning in 1 file/);
  });

  it('prints every finding field with --json', async () => {
    const r = await hekima(['validate', 'ws', '--json'], tmp);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      errors: Record<string, unknown>[];
      warnings: Record<string, unknown>[];
    };
    expect(out.valid).toBe(false);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toEqual({
      code: 'SCH-003',
      severity: 'error',
      product: { name: 'orders', folder: 'orders' },
      file: 'orders/serving.yaml',
      path: '/endpoints/0/type',
      range: { start: { line: 4, column: 11 }, end: { line: 4, column: 19 } },
      message: expect.stringContaining("'analytic'"),
      hint: expect.stringContaining('analytics'),
      fix: {
        title: "Replace with 'analytics'",
        edits: [
          {
            file: 'orders/serving.yaml',
            range: { start: { line: 4, column: 11 }, end: { line: 4, column: 19 } },
            newText: 'analytics',
          },
        ],
      },
    });
    expect(out.warnings.map((w) => w.code)).toEqual(['SCH-007']);
  });

  it('validates one product folder or one file in its workspace', async () => {
    const folder = await hekima(['validate', 'ws/customers', '--json'], tmp);
    expect(JSON.parse(folder.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    const file = await hekima(['validate', 'ws/orders/serving.yaml', '--json'], tmp);
    expect(JSON.parse(file.stdout).errors).toHaveLength(1);
    const other = await hekima(['validate', 'ws/orders/output.yaml', '--json'], tmp);
    expect(JSON.parse(other.stdout)).toMatchObject({ valid: true });
  });

  it('runs the schema only with --fast', async () => {
    const r = await hekima(['validate', 'ws', '--fast', '--json'], tmp);
    expect(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['SCH-003']);
  });

  it('exits 2 on bad usage', async () => {
    expect((await hekima(['validate', 'does-not-exist'], tmp)).code).toBe(2);
    expect((await hekima(['validate', 'ws', '--fast', '--strict'], tmp)).code).toBe(2);
    expect((await hekima(['validate', '--bogus'], tmp)).code).toBe(2);
    const r = await hekima(['validate', 'does-not-exist'], tmp);
    expect(r.stderr).toMatch(/does-not-exist does not exist/);
  });
});

describe('hekima schema and explain', () => {
  it('prints a JSON Schema per kind', async () => {
    const r = await hekima(['schema', 'output'], tmp);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: expect.stringContaining('Output'),
    });
    expect((await hekima(['schema', 'nope'], tmp)).code).toBe(2);
  });

  it('explains a rule with why, a bad and a good example', async () => {
    const r = await hekima(['explain', 'xval-023'], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/XVAL-023/);
    expect(r.stdout).toMatch(/Why/);
    expect(r.stdout).toMatch(/Bad/);
    expect(r.stdout).toMatch(/Good/);
    const unknown = await hekima(['explain', 'XVAL-024'], tmp);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Did you mean/);
  });
});
