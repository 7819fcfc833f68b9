import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { hekima, type CliResult } from '../run/e2e-support.js';

/**
 * Issue 14, through the built CLI: `hekima diagnose` on a successful run, a failing SQL conversion
 * and a failing blocking check. The customer names are confidential: a `public` reader sees none
 * of them, in the error text or the check samples.
 */

let tmp: string;
let ws: string;
let env: Record<string, string>;
let names: string[];

const cli = (...args: string[]) => hekima(args, ws, env);
const json = <T = Record<string, unknown>>(r: CliResult) => JSON.parse(r.stdout) as T;
const leaked = (text: string) => names.filter((n) => text.includes(n));
const executionOf = (r: CliResult) =>
  json<{ products: { product: string; executionId: string }[] }>(r).products.find((p) => p.product === 'customers')!
    .executionId;

const OUTPUT = `apiVersion: akili/v1
kind: Output
schema:
  - name: customer_id
    type: integer
    primary_key: true
    role: identity
    classification: internal
  - name: name
    type: string
    classification: confidential
  - name: country
    type: string
    classification: internal
`;
const NAME_CHECK = `
  - name: name_format
    type: regex
    config: { column: name, pattern: "^[a-z]+$" }
`;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-diagnose-'));
  ws = join(tmp, 'ws');
  await cp(join(workspacesRoot, 'minimal'), ws, { recursive: true, filter: (s) => !s.includes('.hekima') });
  // customer-orders reads customers: it is the blast radius, and confidential as what it reads.
  for (const product of ['customers/product.yaml', 'customer-orders/product.yaml'].map((p) => join(ws, p)))
    await writeFile(
      product,
      (await readFile(product, 'utf8')).replace('classification: internal', 'classification: confidential'),
    );
  await writeFile(join(ws, 'customers/output.yaml'), OUTPUT);
  const [, ...rows] = (await readFile(join(ws, 'data/customers.csv'), 'utf8')).trim().split('\n');
  names = rows.map((r) => r.split(',')[1]!);
  expect(names.length).toBeGreaterThan(1);
  env = { HEKIMA_STATE_DIR: join(tmp, 'state'), USER: 'probe' };
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('hekima diagnose (issue 14)', { timeout: 240_000 }, () => {
  let succeeded: string;

  it('after a success: nothing to diagnose (exit 1); the successful execution by id is reported (exit 0)', async () => {
    const run = await cli('run', '--json');
    expect(run.code, run.stderr).toBe(0);
    succeeded = executionOf(run);
    const none = await cli('diagnose');
    expect(none.code, none.stderr).toBe(1);
    expect(none.stdout).toContain('Nothing to diagnose: no failed execution');
    const byId = await cli('diagnose', succeeded, '--json');
    expect(byId.code, byId.stderr).toBe(0);
    expect(json(byId)).toMatchObject({ execution: succeeded, product: 'customers', status: 'succeeded' });
    expect(json(byId)).not.toHaveProperty('error');
    expect(json(byId)).not.toHaveProperty('blast_radius');
    const usage = await cli('diagnose', succeeded, '--product', 'customers');
    expect(usage.code).toBe(2);
    const unknown = await cli('diagnose', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('execution_not_found');
  });

  it('a failing SQL conversion: step, error class and code, the SQL position with an excerpt; the value masked for public', async () => {
    const logic = join(ws, 'customers/logic/transform.sql');
    const good = await readFile(logic, 'utf8');
    await writeFile(logic, 'SELECT customer_id,\n  CAST(name AS INTEGER) AS name, country\nFROM raw_customers\n');
    try {
      const run = await cli('run', '--json');
      expect(run.code).toBe(1);
      const failed = executionOf(run);
      expect(run.stderr).toMatch(
        new RegExp(`hekima run: customers failed .*; why, where and what next: \`hekima diagnose ${failed}\`$`, 'm'),
      );
      const cleared = await cli('diagnose', '--json', '--clearance', 'confidential');
      expect(cleared.code, cleared.stderr).toBe(0);
      const report = json<{ error: { message: string }; location: { excerpt: string } }>(cleared);
      expect(report).toMatchObject({
        execution: failed,
        status: 'failed',
        trigger: 'manual',
        step: 'transform',
        error: { class: 'SchemaIncompatible', code: 'conversion_failed', retryable: false },
        attempts: { made: 1 },
        location: { file: 'customers/logic/transform.sql', line: 2, column: 3 },
        next: { retry_safe: false, command: 'hekima run --product customers' },
        blast_radius: { downstream: ['customer-orders'], served: { snapshot: expect.any(String) } },
      });
      expect(report.location.excerpt).toContain('> 2 |   CAST(name AS INTEGER) AS name');
      expect(report.location.excerpt).toMatch(/\| {3}\^$/m);
      expect(leaked(report.error.message)).not.toEqual([]);
      for (const args of [['--json'], []]) {
        const pub = await cli('diagnose', '--product', 'customers', '--clearance', 'public', ...args);
        expect(pub.code, pub.stderr).toBe(0);
        expect(leaked(pub.stdout + pub.stderr)).toEqual([]);
        expect(pub.stdout).toContain(MASKED);
        expect(pub.stdout).toContain('customers/logic/transform.sql:2:3');
        expect(pub.stdout).toContain('customer-orders');
      }
      // The same error read through `hekima executions` (list and show): the quoted value is masked
      // for a public reader, shown to a cleared one.
      for (const args of [['executions', '--json'], ['executions'], ['executions', 'show', failed, '--json']]) {
        const pub = await cli(...args, '--clearance', 'public');
        expect(pub.code, pub.stderr).toBe(0);
        expect(leaked(pub.stdout + pub.stderr), args.join(' ')).toEqual([]);
        expect(pub.stdout).toContain(MASKED);
        const clear = await cli(...args, '--clearance', 'confidential');
        expect(leaked(clear.stdout)).not.toEqual([]);
      }
      // The ExecutionFailed event (the audit trail) carries the message with the value masked for everyone.
      const audit = await cli('audit', '--json');
      expect(audit.code, audit.stderr).toBe(0);
      expect(audit.stdout).toContain('ExecutionFailed');
      expect(leaked(audit.stdout + audit.stderr)).toEqual([]);
    } finally {
      await writeFile(logic, good);
    }
  });

  it('a malformed input line: the data file line and the inputs.yaml entry that reads it; the line masked for public', async () => {
    const csv = join(ws, 'data/customers.csv');
    const good = await readFile(csv, 'utf8');
    await writeFile(csv, 'customer_id,name,country\n10,Amina Njoroge,KE\n11,"Baraka, Otieno",TZ,extra\n');
    try {
      const run = await cli('run', '--json');
      expect(run.code).toBe(1);
      const pub = await cli('diagnose', '--json', '--clearance', 'public');
      expect(pub.code, pub.stderr).toBe(0);
      const inputs = (await readFile(join(ws, 'customers/inputs.yaml'), 'utf8')).split('\n');
      expect(json(pub)).toMatchObject({
        execution: executionOf(run),
        step: 'ingest',
        error: { class: 'InvalidArgument', code: 'source_malformed', retryable: false },
        locations: [
          { file: 'data/customers.csv', line: 3, what: 'malformed line' },
          {
            file: 'customers/inputs.yaml',
            line: inputs.indexOf('  - id: raw-customers') + 1,
            what: 'input "raw-customers"',
          },
        ],
        evidence: { masked: ['error.original', 'location.excerpt'] },
      });
      expect(pub.stdout).not.toContain('Baraka');
      expect(pub.stdout).toContain(MASKED);
      const cleared = await cli('diagnose', '--json', '--clearance', 'confidential');
      expect(cleared.stdout).toContain('Baraka, Otieno');
      expect(json<{ location: { excerpt: string } }>(cleared).location.excerpt).toContain(
        '> 3 | 11,"Baraka, Otieno",TZ,extra',
      );
    } finally {
      await writeFile(csv, good);
    }
  });

  it('a failing blocking check: its quality.yaml entry, measured value and threshold, samples masked for public', async () => {
    const quality = join(ws, 'customers/quality.yaml');
    const text = (await readFile(quality, 'utf8')) + NAME_CHECK;
    await writeFile(quality, text);
    const line = text.split('\n').indexOf('  - name: name_format') + 1;
    const run = await cli('run', '--json');
    expect(run.code).toBe(1);
    const failed = executionOf(run);
    const pub = await cli('diagnose', failed, '--json', '--clearance', 'public');
    expect(pub.code, pub.stderr).toBe(0);
    expect(leaked(pub.stdout)).toEqual([]);
    const report = json<{ evidence: { checks: { samples: unknown[] }[] } }>(pub);
    expect(report).toMatchObject({
      step: 'gate',
      error: { class: 'QualityGateFailed', code: 'quality_gate_failed' },
      location: { file: 'customers/quality.yaml', line, what: 'check "name_format"' },
      evidence: {
        checks: [{ name: 'name_format', type: 'regex' }],
        masked: expect.arrayContaining(['name_format.name']),
      },
    });
    expect(report.evidence.checks[0]!.samples.length).toBeGreaterThan(0);
    expect(pub.stdout).toContain(MASKED);
    const text2 = await cli('diagnose', '--clearance', 'public');
    expect(text2.stdout).toContain(`customers/quality.yaml:${line}  check "name_format"`);
    expect(leaked(text2.stdout + text2.stderr)).toEqual([]);
    const cleared = await cli('diagnose', failed, '--json', '--clearance', 'confidential');
    expect(leaked(cleared.stdout).length).toBeGreaterThan(0);
  });
});
