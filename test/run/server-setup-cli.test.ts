import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima, TEST_DATABASE_URL, type CliResult } from './e2e-support.js';

/**
 * Server mode from the CLI alone (built `hekima`, child processes): from an EMPTY PostgreSQL
 * database, `hekima setup` migrates it and creates the workspace's tenant, `hekima run` serves,
 * `hekima query` reads the rows; `hekima tenant create|list|suspend|resume` administer tenants.
 */

const database = `hekima_setup_${randomBytes(4).toString('hex')}`;
let dir: string;
let outside: string;
let env: Record<string, string>;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  env = {
    HEKIMA_DATABASE_URL: url.toString(),
    HEKIMA_DATABASE_POOL_SIZE: '3',
    HEKIMA_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    HEKIMA_LOG_LEVEL: 'warn',
  };
  const tmp = await mkdtemp(join(tmpdir(), 'hekima-setup-'));
  env['HEKIMA_STATE_DIR'] = join(tmp, 'state');
  dir = join(tmp, 'ws');
  outside = join(tmp, 'outside');
  await cp(join(workspacesRoot, 'minimal'), dir, { recursive: true });
  await mkdir(outside);
});
afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const ok = (r: CliResult, what: string) => expect(r.code, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);

describe('server mode from an empty database, with CLI commands only', () => {
  it('run before setup names the missing tenant and the command that creates it', async () => {
    const r = await hekima(['run'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tenant_not_found');
    expect(r.stderr).toContain('hekima setup');
  });

  it('setup migrates and creates the tenant of hekima.yaml; again, it finds it', async () => {
    const first = await hekima(['setup'], dir, env);
    ok(first, 'setup');
    expect(first.stdout).toContain('catalog: PostgreSQL (HEKIMA_DATABASE_URL), schema hekima: migrated');
    expect(first.stdout).toContain('tenant acme: created (ACTIVE)');
    expect(first.stdout).toContain('realtime serving: off');
    const again = await hekima(['setup', '--json'], dir, env);
    ok(again, 'setup again');
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, tenant: { slug: 'acme', state: 'ACTIVE' } });
  });

  it('run serves and query reads the rows', async () => {
    const run = await hekima(['run'], dir, env);
    ok(run, 'run');
    expect(run.stdout).toContain('3 succeeded, 0 failed, 0 skipped');
    const query = await hekima(['query', 'customers', '--json'], join(dir, 'customers'), env);
    ok(query, 'query');
    const rows = (JSON.parse(query.stdout) as { rows: unknown[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
  });

  it('tenant create, list, suspend and resume, outside any workspace too', async () => {
    ok(await hekima(['tenant', 'create', 'second-shop', '--name', 'Second shop'], outside, env), 'create');
    const dup = await hekima(['tenant', 'create', 'second-shop'], outside, env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('tenant_exists');
    const bad = await hekima(['tenant', 'create', 'X'], outside, env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid_tenant_slug');

    const suspended = await hekima(['tenant', 'suspend', 'acme', '--reason', 'invoice unpaid'], outside, env);
    ok(suspended, 'suspend');
    expect(suspended.stdout).toContain('tenant acme suspended (SUSPENDED)');
    const list = await hekima(['tenant', 'list'], outside, env);
    ok(list, 'list');
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^tenant\s+state\s+name\s+created\s+reason$/);
    expect(lines.find((l) => l.startsWith('acme '))).toMatch(/SUSPENDED.*invoice unpaid/);
    expect(lines.find((l) => l.startsWith('second-shop '))).toMatch(/ACTIVE\s+Second shop/);

    const refused = await hekima(['run'], dir, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('tenant_not_active');
    const setup = await hekima(['setup'], dir, env);
    expect(setup.code).toBe(1);
    expect(setup.stdout).toContain('hekima tenant resume acme');

    ok(await hekima(['tenant', 'resume', 'acme'], outside, env), 'resume');
    const active = await hekima(['tenant', 'list', '--state', 'ACTIVE', '--json'], outside, env);
    expect((JSON.parse(active.stdout) as { items: { slug: string }[] }).items.map((t) => t.slug).sort()).toEqual([
      'acme',
      'second-shop',
    ]);
  });
});
