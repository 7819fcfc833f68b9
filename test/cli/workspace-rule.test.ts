import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima, spawnNode, type CliResult } from '../run/e2e-support.js';

/**
 * The one workspace rule of every command (docs/adr/0020), through the built `hekima` in child
 * processes: `--workspace DIR` (`-w`), else the nearest folder upwards holding hekima.yaml; outside
 * any workspace a usage error that creates nothing.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Several command lines in one process of the built CLI (help texts). */
const RUN_MANY = fileURLToPath(new URL('./support/run-many.mjs', import.meta.url));
let tmp: string;
let outside: string;
let ws: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-rule-'));
  outside = join(tmp, 'outside');
  await mkdir(outside);
  ws = join(tmp, 'ws');
  await cp(join(workspacesRoot, 'minimal'), ws, { recursive: true });
  await mkdir(join(ws, 'notes'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const RUNTIME_COMMANDS = [
  ['dlq', 'list'],
  ['audit'],
  ['audit', 'verify'],
  ['executions'],
  ['diagnose'],
  ['workers'],
  ['query', 'customers'],
  ['run'],
  ['test', 'customers'],
  ['connection', 'test', 'shop-files'],
];

describe('outside any workspace', () => {
  it('every command that needs a workspace stops with exit 2, says so and creates nothing', async () => {
    for (const args of RUNTIME_COMMANDS) {
      const r = await hekima(args, outside, {});
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('no workspace: no hekima.yaml in');
      expect(r.stderr, args.join(' ')).toContain('Nothing was created.');
      expect(readdirSync(outside), args.join(' ')).toEqual([]);
    }
  });

  it('validate and generate in an empty folder say there is nothing to validate (exit 2), never "valid"', async () => {
    for (const command of ['validate', 'generate']) {
      const r = await hekima([command], outside, {});
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`nothing to ${command}:`);
      expect(r.stdout).not.toContain('valid');
      expect(readdirSync(outside)).toEqual([]);
    }
  });
});

describe('inside a workspace', () => {
  it('finds the workspace from any folder below it, as git finds .git', async () => {
    const fromSub = await hekima(['validate'], join(ws, 'notes'), {});
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(fromSub.stdout).toContain('(3 products, full validation');

    const generated = await hekima(['generate', '--json'], join(ws, 'notes'), {});
    expect(generated.code, generated.stderr).toBe(0);
    expect(existsSync(join(ws, '.hekima', 'plans', 'customers'))).toBe(true);
    expect(existsSync(join(ws, 'notes', '.hekima'))).toBe(false);
  });

  it('executions takes the tenant from hekima.yaml (no --tenant) and --workspace from elsewhere', async () => {
    const below = await hekima(['executions'], join(ws, 'customers'), {});
    expect(below.code, below.stderr).toBe(0);
    expect(below.stdout).toContain('No executions for tenant acme.');
    expect(existsSync(join(ws, '.hekima', 'catalog'))).toBe(true);
    expect(existsSync(join(ws, 'customers', '.hekima'))).toBe(false);

    const elsewhere = await hekima(['executions', '-w', ws, '--json'], outside, {});
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ items: [] });
    const workers = await hekima(['workers', '--workspace', join(ws, 'notes')], outside, {});
    expect(workers.code, workers.stderr).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a --workspace that does not exist is a usage error naming it', async () => {
    const r = await hekima(['dlq', 'list', '-w', 'nowhere'], outside, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workspace nowhere:');
    expect(r.stderr).toContain('does not exist');
  });
});

const HELP_COMMANDS = [
  ['dlq', 'list'],
  ['dlq', 'show'],
  ['audit'],
  ['audit', 'verify'],
  ['executions'],
  ['workers'],
  ['worker'],
  ['query'],
  ['run'],
  ['test'],
  ['connection', 'test'],
  ['validate'],
  ['generate'],
  ['setup'],
  ['tenant', 'list'],
];

describe('--help', () => {
  it('every command that acts on a workspace states the rule', async () => {
    const r = await spawnNode(
      RUN_MANY,
      [JSON.stringify([['--help'], ...HELP_COMMANDS.map((a) => [...a, '--help'])])],
      outside,
      {},
    );
    expect(r.code, r.stderr).toBe(0);
    const [top, ...results] = JSON.parse(r.stdout) as { argv: string[]; code: number; stdout: string }[];
    expect(top?.stdout.replace(/\s+/g, ' ')).toContain(
      'Workspace: --workspace DIR (-w), else the nearest folder upwards',
    );
    expect(results).toHaveLength(HELP_COMMANDS.length);
    for (const { argv, code, stdout } of results) {
      expect(code, argv.join(' ')).toBe(0);
      expect(stdout, argv.join(' ')).toContain('-w, --workspace <dir>');
      expect(stdout.replace(/\s+/g, ' '), argv.join(' ')).toContain(
        'Workspace: --workspace DIR (-w), else the nearest folder upwards from the current directory holding hekima.yaml',
      );
    }
  });
});

describe('npx hekima inside the clone', () => {
  it('acts on the folder the user is in (INIT_CWD), not on the npm package npm runs it in', async () => {
    const r = await npmExec(['hekima', 'validate'], join(REPO, 'fixtures', 'workspaces', 'retail'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(9 products, full validation');
  });
});

function npmExec(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['exec', '--no', '--', ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
