import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../platform-core/src/adapters/postgres/pglite-database.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { HEKIMA_BIN, hekima, type CliResult } from '../run/e2e-support.js';
import { RETAIL } from '../run/run-support.js';

/**
 * Every read path of the BUILT `hekima` as a reader without the clearance, and as another tenant:
 * no protected value may appear on stdout or stderr. The product is the retail `customers`
 * (confidential: e-mail, phone and name are confidential columns) with two blocking checks added
 * that fail on every row: a regex over `email` (its samples are whole rows) and a custom_sql
 * check that aggregates the e-mails under a harmless alias (`string_agg(email) AS city`). Last,
 * the audit trail those reads wrote loses its newest entries, and `hekima audit verify` must say so.
 */

const ENV = { USER: 'probe' };
const LEAKS = `
  - name: email_domain
    type: regex
    config: { column: email, pattern: "^[a-z]+@acme\\\\.example$" }
  - name: leak
    type: custom_sql
    sql: "SELECT string_agg(email, ',') AS city, COUNT(*) AS failures FROM {output}"
    expect: "failures = 0"
`;

let dir: string;
let protectedValues: string[];
let failedRun: CliResult;
let servedRun: CliResult;
let failedExecution: string;

const cli = (...args: string[]) => hekima(args, dir, ENV);

/** Every protected value that appears in `text` (expected: none). */
const leaked = (text: string) => protectedValues.filter((v) => text.includes(v));
const output = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

async function customersData(): Promise<string[]> {
  const [header, ...lines] = (await readFile(join(dir, 'data/customers.csv'), 'utf8')).trim().split('\n');
  const columns = header!.split(',');
  const confidential = ['full_name', 'email', 'phone'].map((c) => columns.indexOf(c));
  return lines.flatMap((line) => confidential.map((i) => line.split(',')[i]!));
}

describe('read paths of the built CLI leak no protected value', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(HEKIMA_BIN) || !existsSync(join(HEKIMA_BIN, '../../dist/cli/main.js')))
      throw new Error('this suite runs the built CLI: run `npx tsc -b` (npm install does) first');
    dir = await mkdtemp(join(tmpdir(), 'hekima-read-paths-'));
    for (const entry of ['customers', 'data', 'hekima.yaml'])
      await cp(join(RETAIL, entry), join(dir, entry), { recursive: true });
    protectedValues = await customersData();
    expect(protectedValues.length).toBeGreaterThan(20);
    const quality = join(dir, 'customers/quality.yaml');
    const original = await readFile(quality, 'utf8');
    await appendFile(quality, LEAKS);
    failedRun = await cli('run', '.', '--product', 'customers', '--json');
    expect(failedRun.code, failedRun.stderr).toBe(1);
    const report = JSON.parse(failedRun.stdout) as { products: { executionId: string; errorCode?: string }[] };
    expect(report.products[0]).toMatchObject({ errorCode: 'quality_gate_failed' });
    failedExecution = report.products[0]!.executionId;
    // The same checks as warnings: the data is promoted and served, the failing samples stored.
    await writeFile(quality, original + LEAKS.replaceAll('    type:', '    severity: warn\n    type:'));
    servedRun = await cli('run', '.', '--product', 'customers', '--json');
    expect(servedRun.code, servedRun.stderr).toBe(0);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hekima run prints no protected value (stdout, stderr), whether the gate blocks or warns', () => {
    expect(leaked(output(failedRun))).toEqual([]);
    expect(leaked(output(servedRun))).toEqual([]);
  });

  it('hekima executions --json: a failed gate shows its checks masked for the reader (public, the default)', async () => {
    for (const clearance of [['--clearance', 'public'], []]) {
      const r = await cli('executions', '--tenant', 'acme-retail', '--json', ...clearance);
      expect(r.code, r.stderr).toBe(0);
      expect(leaked(output(r)), clearance.join(' ')).toEqual([]);
      expect(r.stdout).toContain('email_domain');
      expect(r.stdout).toContain(MASKED);
    }
  });

  it('hekima executions show: samples and custom_sql values masked below confidential, in clear at it, audited', async () => {
    for (const [clearance, json] of [
      ['public', ['--json']],
      ['internal', []],
    ] as const) {
      const r = await cli(
        'executions',
        'show',
        failedExecution,
        '--tenant',
        'acme-retail',
        '--clearance',
        clearance,
        ...json,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(leaked(output(r)), clearance).toEqual([]);
      expect(r.stdout).toContain('leak');
    }
    const cleared = await cli(
      'executions',
      'show',
      failedExecution,
      '--tenant',
      'acme-retail',
      '--clearance',
      'confidential',
      '--json',
    );
    expect(leaked(cleared.stdout).length).toBeGreaterThan(10);
    const audit = await cli('audit', '--type', 'DataAccessed', '--json', '--limit', '100');
    expect(audit.code, audit.stderr).toBe(0);
    const entries = (JSON.parse(audit.stdout) as { items: { payload: Record<string, unknown> }[] }).items;
    const reads = entries.filter((e) => String(e.payload['source']).startsWith('quality_results'));
    expect(reads.map((e) => e.payload['clearance'])).toContain('confidential');
    expect(reads.find((e) => e.payload['clearance'] === 'confidential')?.payload).toMatchObject({
      actor: 'local:probe',
      level: 'confidential',
      columns_unmasked: expect.arrayContaining(['leak.measured', 'email_domain.email']),
    });
    expect(leaked(output(audit))).toEqual([]);
  });

  it('hekima query: the served lookup, --sql over the lake and a filter on a masked column', async () => {
    const reads = [
      await cli('query', 'customers', '--json', '--clearance', 'public'),
      await cli('query', 'customers'),
      await cli(
        'query',
        'customers',
        '--json',
        '--clearance',
        'public',
        '--sql',
        'SELECT email, phone, full_name FROM customers',
      ),
      await cli('query', 'customers', '--clearance', 'internal', '--filter', `email:${protectedValues[1]!}`),
    ];
    for (const r of reads) expect(leaked(output(r)), r.stdout).toEqual([]);
    expect(reads[0]!.code).toBe(0);
    expect(reads[0]!.stdout).toContain(MASKED);
    expect(reads[2]!.stdout).toContain(MASKED);
    expect(reads[3]!.stderr).toContain('filter_on_masked_column');
  });

  it('another tenant reads nothing of acme-retail: executions, their checks, served data', async () => {
    const reads = [
      await cli('query', 'customers', '--tenant', 'intruder', '--clearance', 'restricted', '--json'),
      await cli('executions', '--tenant', 'intruder', '--clearance', 'restricted', '--json'),
      await cli('executions', 'show', failedExecution, '--tenant', 'intruder', '--clearance', 'restricted', '--json'),
      await cli('audit', '--tenant', 'intruder', '--json'),
    ];
    for (const r of reads) expect(leaked(output(r)), r.stdout).toEqual([]);
    expect(JSON.parse(reads[0]!.stdout)).toMatchObject({ error: { code: 'product_never_run' } });
    expect(JSON.parse(reads[1]!.stdout)).toMatchObject({ items: [] });
    expect(JSON.parse(reads[2]!.stdout)).toMatchObject({ error: { code: 'execution_not_found' } });
  });

  it('hekima audit verify notices the newest audit entries deleted (the probe: "intact: 429 entries")', async () => {
    const intact = await cli('audit', 'verify');
    expect(intact.code, output(intact)).toBe(0);
    const entries = Number(/intact: (\d+) entries/.exec(intact.stdout)?.[1]);
    expect(entries).toBeGreaterThan(3);
    // As someone with the data files (owner rights) would: the append-only trigger off, the two newest rows gone.
    const db = await PgliteDatabase.open({ dataDir: join(dir, '.hekima/catalog'), schema: 'hekima' });
    try {
      await db.admin.transaction(async (sql) => {
        await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await sql.query(
          `DELETE FROM audit_log WHERE seq > $1 AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme-retail')`,
          [String(entries - 2)],
        );
        await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      });
    } finally {
      await db.close();
    }
    const broken = await cli('audit', 'verify', '--no-sync');
    expect(broken.code, output(broken)).toBe(1);
    expect(broken.stdout).toContain(
      `audit trail BROKEN at seq ${entries - 1}: seq ${entries - 1}–${entries} are missing (deleted at the end of the trail`,
    );
  });
});
