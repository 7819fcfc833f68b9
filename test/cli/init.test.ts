import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'hekima-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** A fresh empty folder, or a copy of a fixture workspace. */
function workspace(from?: string): string {
  const dir = join(tmp, `ws${++counter}`);
  if (from) cpSync(join(workspacesRoot, from), dir, { recursive: true });
  else mkdirSync(dir);
  return dir;
}

/** Every file below `dir` with a hash of its bytes (and the folders), to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out[`${relative(dir, p)}/`] = 'dir';
        walk(p);
      } else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

interface ValidateJson {
  valid: boolean;
  errors: { code: string; file: string; message: string }[];
  warnings: { code: string; file: string; message: string }[];
}

async function validate(path: string, cwd: string): Promise<ValidateJson> {
  const r = await hekima(['validate', path, '--json'], cwd);
  return JSON.parse(r.stdout) as ValidateJson;
}

const brief = (fs: ValidateJson['errors']) => fs.map((f) => `${f.code} ${f.file}: ${f.message}`);

describe('hekima init', () => {
  it.each([['source'], ['aggregate'], ['consumer']])(
    'scaffolds a %s product that validates with zero errors',
    async (archetype) => {
      const ws = workspace();
      const r = await hekima(['init', 'daily-metrics', '--archetype', archetype], ws);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`✔ Created ${archetype} product 'daily-metrics' in daily-metrics/`);
      for (const f of [
        'product.yaml',
        'inputs.yaml',
        'output.yaml',
        'serving.yaml',
        'quality.yaml',
        'compute.yaml',
        'logic/transform.sql',
        'tests/fixtures/expected_output.csv',
      ]) {
        expect(existsSync(join(ws, 'daily-metrics', f)), f).toBe(true);
        expect(r.stdout).toContain(`created  daily-metrics/${f}`);
      }
      expect(r.stdout).toContain('hekima validate daily-metrics');
      const v = await validate('daily-metrics', ws);
      expect(brief(v.errors)).toEqual([]);
      expect(v.valid).toBe(true);
      // Only the documented warning of a product without inputs is allowed.
      expect(v.warnings.filter((w) => w.code !== 'INP-005')).toEqual([]);
      // Nothing temporary is left beside the product.
      expect(readdirSync(ws).filter((n) => n.includes('hekima-init'))).toEqual([]);
    },
  );

  // The expected output is what the engine returned on the fixtures (no second evaluator of the
  // SQL): every archetype's scaffold passes `hekima test` as written, with inputs or without.
  it.each([
    ['source', undefined, []],
    ['aggregate', undefined, []],
    ['consumer', undefined, []],
    ['aggregate', 'minimal', ['customer-orders']],
    ['consumer', 'minimal', ['customer-orders']],
    ['aggregate', 'minimal', ['orders', 'customers']],
    ['consumer', 'minimal', ['customers', 'orders', 'customer-orders']],
    ['aggregate', 'retail', ['pos-transactions', 'outlets', 'products-catalog']],
    ['consumer', 'retail', ['outlet-daily-sales', 'outlets']],
  ] as const)(
    'scaffolds a %s product (workspace %s, inputs %j) whose own test passes',
    async (archetype, from, inputs) => {
      const ws = workspace(from);
      const args = inputs.length > 0 ? ['--input', ...inputs] : [];
      const r = await hekima(['init', 'scaffolded', '--archetype', archetype, ...args], ws);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const expected = readFileSync(join(ws, 'scaffolded/tests/fixtures/expected_output.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(expected.length).toBeGreaterThan(1); // a header and rows
      const t = await hekima(['test', 'scaffolded', '--json'], ws);
      const report = JSON.parse(t.stdout) as { passed: boolean; rowCount: number; diff?: unknown };
      expect(report, t.stderr).toMatchObject({ passed: true, rowCount: expected.length - 1 });
      expect(t.code).toBe(0);
    },
  );

  it('prints created, changed and notes with --json, paths relative to the current folder', async () => {
    const ws = workspace();
    mkdirSync(join(ws, 'sub'));
    const r = await hekima(
      ['init', 'raw-leads', '--archetype', 'source', '--dir', 'products/raw-leads', '--json'],
      join(ws, 'sub'),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { created: string[]; changed: string[]; notes: string[] };
    expect(out.created).toContain('products/raw-leads/product.yaml');
    expect(out.created).toContain('products/raw-leads/tests/fixtures/raw-leads-extract.csv');
    // The workspace root is the folder holding the new product folder: sub/products/.
    expect(out.created).toContain('products/hekima.yaml');
    expect(out.created).toContain('products/data/raw-leads.csv');
    expect(out.changed).toEqual([]);
    expect(out.notes.length).toBeGreaterThan(0);
    expect(brief((await validate('products/raw-leads', join(ws, 'sub'))).errors)).toEqual([]);
  });

  it('refuses to overwrite a non-empty folder and leaves it byte-identical', async () => {
    const ws = workspace('minimal');
    writeFileSync(join(ws, 'customers', 'notes.txt'), 'keep me\n');
    const before = snapshot(ws);
    const r = await hekima(['init', 'customers2', '--dir', 'customers', '--archetype', 'source'], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite: customers\/ exists and is not empty \(\d+ entries\)/);
    expect(r.stderr).toContain('Nothing was written');
    expect(r.stdout).toBe('');
    expect(snapshot(ws)).toEqual(before);
  });

  it('writes into an existing empty folder, keeping the folder itself (it may be the current directory)', async () => {
    const ws = workspace();
    const dir = join(ws, 'metrics');
    mkdirSync(dir);
    const inode = statSync(dir).ino;
    const r = await hekima(['init', 'metrics', '--dir', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✔ Created aggregate product 'metrics' in ./");
    expect(existsSync(join(dir, 'product.yaml'))).toBe(true);
    expect(statSync(dir).ino).toBe(inode);
    expect(readdirSync(ws).sort()).toEqual(['metrics']);
    expect(brief((await validate('.', dir)).errors)).toEqual([]);
  });

  it('rejects a bad name with the rule and a suggested valid name, writing nothing', async () => {
    const ws = workspace();
    const r = await hekima(['init', 'Outlet_Sales'], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'Outlet_Sales' is not a valid product name");
    expect(r.stderr).toContain('lowercase letters, digits and hyphens');
    expect(r.stderr).toContain("Try 'outlet-sales'");
    expect(readdirSync(ws)).toEqual([]);
  });

  it('rejects a bad archetype listing the valid ones', async () => {
    const ws = workspace();
    const r = await hekima(['init', 'sales', '--archetype', 'agregate'], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown archetype 'agregate': use one of source, aggregate, consumer");
    expect(r.stderr).toContain("Did you mean 'aggregate'?");
    expect(readdirSync(ws)).toEqual([]);
  });

  it('creates hekima.yaml with a file connection and a sample CSV for a source in a workspace without one', async () => {
    const ws = workspace();
    const r = await hekima(['init', 'pos-lines', '--archetype', 'source'], ws);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created  hekima.yaml');
    expect(r.stdout).toContain('created  data/pos-lines.csv');
    expect(r.stdout).toContain("hekima.yaml was created at the workspace root with connection 'local-files'");
    const config = parse(readFileSync(join(ws, 'hekima.yaml'), 'utf8')) as { connections: unknown[] };
    expect(config.connections).toEqual([
      { name: 'local-files', type: 'file', config: { path: 'data/', format: 'csv' } },
    ]);
    expect(readFileSync(join(ws, 'data/pos-lines.csv'), 'utf8')).toBe(
      readFileSync(join(ws, 'pos-lines/tests/fixtures/raw-pos-lines.csv'), 'utf8'),
    );
    const v = await validate('.', ws);
    expect(brief(v.errors)).toEqual([]);
    expect(brief(v.warnings)).toEqual([]);
  });

  it('adds the connection to a commented hekima.yaml and keeps every comment', async () => {
    const ws = workspace();
    const original = [
      '# Workspace of the web shop team.',
      'apiVersion: akili/v1',
      'kind: Workspace',
      'tenant: acme-shop   # tenant slug, never changes',
      '',
      '# Teams that may own products:',
      'teams:',
      '  - shop-data     # the data engineers',
      '',
    ].join('\n');
    writeFileSync(join(ws, 'hekima.yaml'), original);
    mkdirSync(join(ws, 'products'));
    const r = await hekima(['init', 'web-orders', '--archetype', 'source', '--dir', 'products/web-orders'], ws);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /changed {2}hekima\.yaml {2}\(added connection 'local-files' \(type file, reading CSV files under data\/\)\)/,
    );
    const edited = readFileSync(join(ws, 'hekima.yaml'), 'utf8');
    for (const comment of [
      '# Workspace of the web shop team.',
      '# tenant slug, never changes',
      '# Teams that may own products:',
      '# the data engineers',
    ]) {
      expect(edited).toContain(comment);
    }
    expect(parse(edited)).toEqual({
      apiVersion: 'akili/v1',
      kind: 'Workspace',
      tenant: 'acme-shop',
      teams: ['shop-data'],
      connections: [{ name: 'local-files', type: 'file', config: { path: 'data/', format: 'csv' } }],
    });
    // The owner defaults to the declared team; the sample file sits under the workspace root.
    expect(readFileSync(join(ws, 'products/web-orders/product.yaml'), 'utf8')).toContain('owner: shop-data');
    expect(existsSync(join(ws, 'data/web-orders.csv'))).toBe(true);
    expect(brief((await validate('.', ws)).errors)).toEqual([]);
  });

  it('uses the workspace connection and its strategy for a source', async () => {
    const ws = workspace('minimal');
    const r = await hekima(
      [
        'init',
        'raw-returns',
        '--archetype',
        'source',
        '--connection',
        'shop-files',
        '--owner',
        'crm',
        '--domain',
        'retail',
      ],
      ws,
    );
    expect(r.code).toBe(0);
    const inputs = parse(readFileSync(join(ws, 'raw-returns/inputs.yaml'), 'utf8')) as {
      inputs: Record<string, unknown>[];
    };
    expect(inputs.inputs[0]).toMatchObject({
      connector_ref: 'shop-files',
      ingestion_strategy: 'full_refresh',
      ingestion_config: { path: 'raw-returns.csv' },
    });
    expect(existsSync(join(ws, 'data/raw-returns.csv'))).toBe(true);
    const v = await validate('.', ws);
    expect(brief(v.errors)).toEqual([]);
    expect(brief(v.warnings)).toEqual([]);
  });

  it('joins the real columns of --input products and validates with zero errors', async () => {
    const ws = workspace('minimal');
    const r = await hekima(
      ['init', 'customer-value', '--input', 'orders', 'customers', '--owner', 'sales-analytics'],
      ws,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sql = readFileSync(join(ws, 'customer-value/logic/transform.sql'), 'utf8');
    expect(sql).toContain('FROM customers AS c');
    expect(sql).toContain('LEFT JOIN orders_by_customer_id AS o ON o.customer_id = c.customer_id');
    expect(sql).toContain('CAST(SUM(amount) AS DECIMAL(38, 2)) AS orders_total_amount');
    const output = parse(readFileSync(join(ws, 'customer-value/output.yaml'), 'utf8')) as {
      schema: { name: string }[];
    };
    expect(output.schema.map((c) => c.name)).toEqual([
      'customer_id',
      'name',
      'country',
      'orders_count',
      'orders_total_amount',
    ]);
    expect(readFileSync(join(ws, 'customer-value/tests/fixtures/orders.csv'), 'utf8').split('\n')[0]).toBe(
      'order_id,customer_id,amount,ordered_at',
    );
    expect(readFileSync(join(ws, 'customer-value/tests/fixtures/customers.csv'), 'utf8').split('\n')[0]).toBe(
      'customer_id,name,country',
    );
    expect(readFileSync(join(ws, 'customer-value/tests/fixtures/expected_output.csv'), 'utf8')).toBe(
      'customer_id,name,country,orders_count,orders_total_amount\n1,name-1,country-1,2,31.00\n2,name-2,country-2,1,30.50\n3,name-3,country-3,2,91.00\n',
    );
    const v = await validate('.', ws);
    expect(brief(v.errors)).toEqual([]);
    expect(brief(v.warnings)).toEqual([]);
  });

  it('builds a consumer over an aggregate with lookup and realtime endpoints', async () => {
    const ws = workspace('minimal');
    const r = await hekima(['init', 'customer-app-feed', '--archetype', 'consumer', '--input', 'customer-orders'], ws);
    expect(r.code).toBe(0);
    const serving = parse(readFileSync(join(ws, 'customer-app-feed/serving.yaml'), 'utf8')) as {
      endpoints: { type: string; config?: Record<string, unknown> }[];
    };
    expect(serving.endpoints.map((e) => e.type)).toEqual(['lookup', 'realtime']);
    expect(serving.endpoints[1]?.config?.['key_template']).toBe('customer-app-feed:{customer_id}');
    const v = await validate('.', ws);
    expect(brief(v.errors)).toEqual([]);
    expect(brief(v.warnings)).toEqual([]);
  });

  it('rejects an unknown --input with the nearest product name and writes nothing', async () => {
    const ws = workspace('minimal');
    const before = snapshot(ws);
    const r = await hekima(['init', 'customer-value', '--input', 'ordrs'], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--input 'ordrs' is not a product of the workspace");
    expect(r.stderr).toContain("Did you mean 'orders'?");
    expect(snapshot(ws)).toEqual(before);
  });

  it('refuses a name already used in the workspace and a folder inside another product', async () => {
    const ws = workspace('minimal');
    const taken = await hekima(['init', 'orders', '--dir', 'orders-copy'], ws);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("a product named 'orders' already exists in orders/");
    const nested = await hekima(['init', 'inner', '--dir', 'orders/inner'], ws);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('would be inside the product folder orders/');
  });

  it('leaves no partial product when a write fails', async () => {
    const ws = workspace();
    // A file named `data` makes the sample file under data/ impossible to write.
    writeFileSync(join(ws, 'data'), 'not a folder\n');
    const before = snapshot(ws);
    const r = await hekima(['init', 'raw-events', '--archetype', 'source'], ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not write the product');
    expect(snapshot(ws)).toEqual(before);
  });

  it('keeps a read-only parent untouched when the product cannot be created', async () => {
    const ws = workspace();
    chmodSync(ws, 0o555);
    try {
      const r = await hekimaUnprivileged(['init', 'metrics'], ws);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('could not write the product');
      expect(readdirSync(ws)).toEqual([]);
    } finally {
      chmodSync(ws, 0o755);
    }
  });
});

/**
 * Permissions do not bind root: as root, the built CLI runs as `nobody` (setpriv), so a read-only
 * folder refuses it as it refuses any user. Otherwise in-process.
 */
async function hekimaUnprivileged(argv: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  if (process.getuid?.() !== 0) return hekima(argv, cwd);
  chmodSync(tmp, 0o755); // nobody must reach the workspace
  const bin = fileURLToPath(new URL('../../platform-core/bin/hekima.js', import.meta.url));
  const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...argv];
  return new Promise((resolve, reject) => {
    execFile('setpriv', nobody, { cwd }, (error, _stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr });
    });
  });
}
