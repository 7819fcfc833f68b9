import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { RETAIL } from './run-support.js';

/**
 * End-to-end support: the REAL `hekima` binary (from the build, which Vitest's global set-up brings
 * up to date with `tsc -b` before any suite), spawned as a child
 * process, on a copy of the retail workspace whose sources are the products' own test fixtures.
 * Those fixtures form one consistent chain (a product's `expected_output.csv` is the fixture of its
 * consumers), so every product's served output must equal its `tests/fixtures/expected_output.csv`.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HEKIMA_BIN = join(ROOT, 'platform-core/bin/hekima.js');
/** `hekima run` with a SIGKILL injected between a product's snapshot write and its commit. */
export const CRASH_RUNNER = fileURLToPath(new URL('./e2e-crash-run.mjs', import.meta.url));
export const TEST_DATABASE_URL = process.env['HEKIMA_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['HEKIMA_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export const PRODUCTS = [
  'customers',
  'erp-inventory',
  'outlets',
  'pos-transactions',
  'products-catalog',
  'category-basket-affinity',
  'customer-lifetime-value',
  'outlet-daily-sales',
  'store-manager-dashboard-feed',
] as const;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <script> ...args` in `cwd` with exactly `env` (plus PATH and HOME). */
export function spawnNode(script: string, args: readonly string[], cwd: string, env: Record<string, string>) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `hekima <args>` from the build, in `cwd`, with `env`. */
export const hekima = (args: readonly string[], cwd: string, env: Record<string, string>) =>
  spawnNode(HEKIMA_BIN, args, cwd, env);

/**
 * `hekima run --json` that SIGKILLs itself between `product`'s snapshot write and its commit. Its
 * TMPDIR is a folder of its own, removed afterwards: a killed run cannot clean its work folder.
 */
export async function hekimaRunCrashingAt(product: string, cwd: string, env: Record<string, string>) {
  const tmp = await mkdtemp(join(tmpdir(), 'hekima-crash-tmp-'));
  try {
    return await spawnNode(CRASH_RUNNER, ['--workspace', cwd], cwd, {
      ...env,
      TMPDIR: tmp,
      HEKIMA_TEST_CRASH_AT: product,
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface RunSummaryJson {
  readonly ran: boolean;
  readonly ok: boolean;
  /** What an interrupted earlier run left, cleaned up first. */
  readonly recovered?: { readonly cancelled: readonly string[]; readonly swept: readonly string[] };
  readonly products: readonly {
    product: string;
    status: string;
    rows?: number;
    checksPassed: number;
    checksFailed: number;
    reason?: string;
    snapshotId?: string;
    executionId?: string;
    endpoints: string[];
    endpointNotes: string[];
  }[];
}

/** Parses the JSON a `--json` command printed, with its stderr in the error when it is not JSON. */
export function json<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${String(r.code)}, signal ${String(r.signal)}):\n${r.stdout}\n${r.stderr}`);
  }
}

export interface QueryJson {
  readonly product: string;
  readonly snapshotId: string;
  readonly source: string;
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

/** Copies the retail workspace to `dir` with the products' raw test fixtures as its source data. */
export async function fixtureChainWorkspace(dir: string, erpDatabase: string): Promise<void> {
  await cp(RETAIL, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
  const fixture = (product: string, file: string) => join(dir, product, 'tests/fixtures', file);
  await cp(fixture('customers', 'raw-customers.csv'), join(dir, 'data/customers.csv'));
  await cp(fixture('outlets', 'raw-outlets.csv'), join(dir, 'data/outlets.csv'));
  await cp(fixture('products-catalog', 'raw-products.csv'), join(dir, 'data/products-catalog.csv'));
  const pos = JSON.parse(await readFile(fixture('pos-transactions', 'raw-pos-transactions.json'), 'utf8')) as unknown[];
  await writeFile(join(dir, 'data/pos-transactions.jsonl'), pos.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const config = join(dir, 'hekima.yaml');
  const text = await readFile(config, 'utf8');
  if (!text.includes('database: test'))
    throw new Error('retail hekima.yaml: the erp connection moved (database: test)');
  await writeFile(config, text.replace('database: test', `database: ${erpDatabase}`));
}

/**
 * A fresh ERP database on the test server holding `inventory_levels` filled from
 * erp-inventory's `erp-stock-levels.csv` fixture; returns its name and a dropper.
 */
export async function createErpDatabase(label: string) {
  const name = `hekima_erp_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const erp = new pg.Client({ connectionString: url.toString() });
  await erp.connect();
  try {
    const { header, rows } = parseCsv(
      await readFile(join(RETAIL, 'erp-inventory/tests/fixtures/erp-stock-levels.csv'), 'utf8'),
    );
    await erp.query(`CREATE TABLE public.inventory_levels (
      outlet_id text NOT NULL, sku text NOT NULL, on_hand_qty integer NOT NULL,
      reorder_point integer NOT NULL, updated_at timestamp NOT NULL, PRIMARY KEY (outlet_id, sku))`);
    for (const row of rows)
      await erp.query(
        `INSERT INTO public.inventory_levels (${header.join(', ')}) VALUES (${header.map((_, i) => `$${i + 1}`).join(', ')})`,
        row.map((v, i) => (header[i] === 'updated_at' ? String(v).replace('T', ' ').replace('Z', '') : v)),
      );
  } finally {
    await erp.end();
  }
  return {
    name,
    /** Runs SQL on the ERP database (to change a source row between runs). */
    async exec(sql: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        await c.query(sql, params);
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A small RFC 4180 reader (quoted fields, doubled quotes); empty fields are null. */
export function parseCsv(text: string): { header: string[]; rows: (string | null)[][] } {
  const records: (string | null)[][] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let record: (string | null)[] = [];
  const endField = () => {
    record.push(field === '' && !wasQuoted ? null : field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      if (record.some((c) => c !== null)) records.push(record);
      record = [];
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { header: header.map(String), rows };
}

/** The declared type of each output column (output.yaml of `product` in `dir`). */
export async function outputTypes(dir: string, product: string): Promise<Map<string, string>> {
  const doc = parseYaml(await readFile(join(dir, product, 'output.yaml'), 'utf8')) as {
    schema: { name: string; type: string }[];
  };
  return new Map(doc.schema.map((c) => [c.name, c.type]));
}

/**
 * One value in the form expected_output.csv writes it (see the retail README): decimals with their
 * scale, dates YYYY-MM-DD, timestamps UTC `…Z`, booleans true/false, floats shortest, null as null.
 * Lookup tables, the lake and Redis each print values their own way; this is their common form.
 */
export function canonical(value: unknown, type: string | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const decimal = /^decimal\(\d+,\s*(\d+)\)$/.exec(type ?? '');
  if (decimal) return Number(text).toFixed(Number(decimal[1]));
  switch (type) {
    case 'integer':
    case 'bigint':
      return BigInt(text).toString();
    case 'float':
    case 'double':
      return String(Number(text));
    case 'boolean':
      return String(text === 'true' || text === 't');
    case 'date':
      return text.slice(0, 10);
    case 'timestamp': {
      const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(text);
      if (!m) throw new Error(`not a timestamp: ${text}`);
      const zone = m[3] === undefined || /^z$/i.test(m[3]) ? 'Z' : m[3].length === 3 ? `${m[3]}:00` : m[3];
      return new Date(`${m[1]}T${m[2]}${zone}`).toISOString().replace('.000Z', 'Z');
    }
    default:
      return text;
  }
}

/** Rows of `product` in canonical form, keyed by the listed columns (CSV header order). */
export function canonicalRows(
  rows: readonly Record<string, unknown>[],
  types: ReadonlyMap<string, string>,
  columns: readonly string[],
): Record<string, string | null>[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, canonical(r[c], types.get(c))])));
}

/** The product's `tests/fixtures/expected_output.csv` in canonical form. */
export async function expectedOutput(dir: string, product: string) {
  const { header, rows } = parseCsv(await readFile(join(dir, product, 'tests/fixtures/expected_output.csv'), 'utf8'));
  const types = await outputTypes(dir, product);
  const records = rows.map((r) => Object.fromEntries(header.map((c, i) => [c, r[i] ?? null])));
  return { columns: header, types, rows: canonicalRows(records, types, header) };
}

/** Sorts rows by their JSON form, so two row sets compare regardless of order. */
export const sorted = <T>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
