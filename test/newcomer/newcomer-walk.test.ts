import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * A newcomer's first hour, scripted from the README: install `hekima` from this clone into a
 * temporary npm prefix, then, in a new folder OUTSIDE the clone, only `hekima` commands found on
 * the PATH: init → edit → validate → run → query → break the data → run → read the failure.
 * Each step's exit code and the key words of its output are asserted. The steps depend on each
 * other, so they run in order in one test per stage.
 */

/** A stage runs several commands, `hekima run` among them (each opens the embedded catalog). */
const STAGE_TIMEOUT = 240_000;
const REPO = fileURLToPath(new URL('../../', import.meta.url));
let tmp: string;
let prefix: string;
let shop: string;
/** The environment of a fresh shell: the prefix's bin first, Node, HOME and a state folder of its own. */
let env: Record<string, string>;

interface Step {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function sh(command: string, args: readonly string[], cwd: string): Promise<Step> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const hekima = (args: readonly string[], cwd = shop) => sh('hekima', args, cwd);
const show = (s: Step) => `exit ${s.code}\n--- stdout\n${s.stdout}\n--- stderr\n${s.stderr}`;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-newcomer-'));
  prefix = join(tmp, 'prefix');
  shop = join(tmp, 'shop');
  env = {
    PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
    HOME: process.env['HOME'] ?? tmp,
    HEKIMA_STATE_DIR: join(tmp, 'state'),
    npm_config_cache: process.env['npm_config_cache'] ?? join(process.env['HOME'] ?? tmp, '.npm'),
  };
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('a newcomer, following the README', () => {
  it('installs hekima from the clone into an npm prefix (README: npm install -g ./platform-core)', async () => {
    const install = await sh(
      'npm',
      ['install', '-g', './platform-core', '--prefix', prefix, '--no-audit', '--no-fund', '--offline'],
      REPO,
    );
    expect(install.code, show(install)).toBe(0);
    expect(existsSync(join(prefix, 'bin', 'hekima'))).toBe(true);
    const version = await hekima(['--version'], tmp);
    expect(version.code, show(version)).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('creates a workspace outside the clone with hekima init, edits it, validates it', async () => {
    expect(relative(REPO, tmp).startsWith('..')).toBe(true);
    await mkdir(shop);
    const outside = await hekima(['validate']);
    expect(outside.code, show(outside)).toBe(2);
    expect(outside.stderr).toContain('nothing to validate');

    const init = await hekima(['init', 'orders', '--archetype', 'source']);
    expect(init.code, show(init)).toBe(0);
    expect(init.stdout).toContain("Created source product 'orders'");
    expect(init.stdout).toContain('created  hekima.yaml');
    expect(parse(await readFile(join(shop, 'hekima.yaml'), 'utf8'))).toMatchObject({ tenant: 'shop' });

    // Edit: the logic shouts the name, and the extract gets one more row.
    const sql = join(shop, 'orders', 'logic', 'transform.sql');
    await writeFile(sql, (await readFile(sql, 'utf8')).replace('TRIM(name) AS name', 'UPPER(TRIM(name)) AS name'));
    await appendFile(join(shop, 'data', 'orders.csv'), '4,Fourth record,2026-01-08T10:00:00Z\n');

    const validate = await hekima(['validate'], join(shop, 'orders'));
    expect(validate.code, show(validate)).toBe(0);
    expect(validate.stdout).toContain('✔ valid: 0 errors');
    expect(validate.stdout).toContain('(1 product, full validation');
  });

  it(
    'runs it and queries the served rows',
    async () => {
      const run = await hekima(['run']);
      expect(run.code, show(run)).toBe(0);
      expect(run.stdout).toMatch(/orders\s+succeeded\s+4\s/);
      expect(run.stdout).toContain('1 succeeded, 0 failed, 0 skipped');

      const query = await hekima(['query', 'orders'], join(shop, 'data'));
      expect(query.code, show(query)).toBe(0);
      expect(query.stdout).toContain('FOURTH RECORD');
      expect(query.stdout).toContain('(4 rows)');
    },
    STAGE_TIMEOUT,
  );

  it(
    'breaks the data, runs again, and reads the failure',
    async () => {
      // A second product whose very first run fails, and a duplicate key in the first one's extract.
      const init = await hekima(['init', 'customers', '--archetype', 'source']);
      expect(init.code, show(init)).toBe(0);
      await appendFile(join(shop, 'data', 'customers.csv'), '1,Same id again,2026-01-09T10:00:00Z\n');
      await appendFile(join(shop, 'data', 'orders.csv'), '4,Fourth record again,2026-01-09T10:00:00Z\n');

      const run = await hekima(['run']);
      expect(run.code, show(run)).toBe(1);
      expect(run.stdout).toContain('0 succeeded, 2 failed');
      expect(run.stdout).toMatch(/orders: .*primary-key value\(s\) of \(id\) occur more than once/);
      expect(run.stderr).toMatch(/orders failed .*`hekima query orders` still serves its previous data \(snapshot /);
      expect(run.stderr).toMatch(/customers failed .*nothing of customers is served: it has never succeeded here/);
      expect(run.stderr).not.toContain('`hekima query customers`');

      const executions = await hekima(['executions', '--state', 'failed']);
      expect(executions.code, show(executions)).toBe(0);
      const lines = executions.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^execution\s+product\s+state\s+attempt\s+window\s+created\s+reason$/);
      expect(lines.filter((l) => /\sorders\s+failed\s/.test(l))).toHaveLength(1);
      expect(lines.filter((l) => /\scustomers\s+failed\s/.test(l))).toHaveLength(1);

      const audit = await hekima(['audit', '--type', 'ExecutionFailed']);
      expect(audit.code, show(audit)).toBe(0);
      const trail = audit.stdout.trim().split('\n');
      expect(trail[0]).toMatch(/^seq\s+occurred\s+event\s+product\s+actor\s+event id\s+hash\s+detail$/);
      expect(trail.some((l) => /ExecutionFailed\s+orders\s/.test(l))).toBe(true);

      const still = await hekima(['query', 'orders']);
      expect(still.code, show(still)).toBe(0);
      expect(still.stdout).toContain('(4 rows)');
      expect(still.stdout).not.toContain('FOURTH RECORD AGAIN');
    },
    STAGE_TIMEOUT,
  );
});
