import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima } from '../run/e2e-support.js';

/**
 * Issue 10 A, through the built CLI: a file connection must never read the platform's own state.
 * A second tenant's connection on `.hekima/lake` must not serve the first tenant's rows, and a
 * connection on the workspace root must not serve key material.
 */

let tmp: string;
let ws: string;
let env: Record<string, string>;

const product = (name: string, connection: string, path: string, format: string) => ({
  [`${name}/product.yaml`]: `apiVersion: akili/v1\nkind: DataProduct\nmetadata:\n  name: ${name}\n  domain: retail\n  version: 1.0.0\n  owner: crm\n  description: Reads what it should not.\n  classification: internal\n`,
  [`${name}/inputs.yaml`]: `apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - id: raw\n    type: connector\n    connector_ref: ${connection}\n    ingestion_strategy: full_refresh\n    ingestion_config:\n      path: ${path}\n      format: ${format}\n`,
  [`${name}/compute.yaml`]: `apiVersion: akili/v1\nkind: Compute\nruntime: sql\n`,
  [`${name}/serving.yaml`]: `apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n    description: Ad-hoc.\n`,
  [`${name}/quality.yaml`]: `apiVersion: akili/v1\nkind: Quality\nchecks: []\n`,
});

async function writeFiles(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(ws, path, '..'), { recursive: true });
    await writeFile(join(ws, path), text);
  }
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-sec-paths-'));
  ws = join(tmp, 'ws');
  await cp(join(workspacesRoot, 'minimal'), ws, { recursive: true, filter: (s) => !s.includes('.hekima') });
  await rm(join(ws, 'orders'), { recursive: true });
  await rm(join(ws, 'customer-orders'), { recursive: true });
  env = { HEKIMA_STATE_DIR: join(tmp, 'state') };
  // The first tenant (acme, from hekima.yaml) serves its customers.
  const first = await hekima(['run', '--workspace', ws], ws, env);
  expect(first.code, first.stdout + first.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a file connection cannot read the platform state (issue 10 A)', () => {
  it("refuses a connection on .hekima/lake: validate names the hekima.yaml line, another tenant's run serves nothing", async () => {
    const config = await readFile(join(ws, 'hekima.yaml'), 'utf8');
    const withLake = `${config}  - name: lake\n    type: file\n    config:\n      path: .hekima/lake\n`;
    await writeFile(join(ws, 'hekima.yaml'), withLake);
    await writeFiles({
      ...product('stolen', 'lake', "'**/customers/**/snapshots/*/data.parquet'", 'parquet'),
      'stolen/output.yaml': `apiVersion: akili/v1\nkind: Output\nschema:\n  - name: customer_id\n    type: integer\n    primary_key: true\n    role: identity\n  - name: name\n    type: string\n  - name: country\n    type: string\n`,
      'stolen/logic/transform.sql': 'SELECT customer_id, name, country FROM raw\n',
    });
    try {
      const validate = await hekima(['validate', ws], ws, env);
      expect(validate.code, validate.stdout).toBe(1);
      const line = lineOf(withLake, 'path: .hekima/lake');
      expect(validate.stdout).toMatch(new RegExp(`hekima\\.yaml[\\s\\S]*^ +${line}:\\d+ +error .*WSP-005$`, 'm'));

      const run = await hekima(['run', '--workspace', ws, '--product', 'stolen', '--tenant', 'intruder'], ws, env);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).not.toContain('Amina');
      const query = await hekima(['query', 'stolen', '--workspace', ws, '--tenant', 'intruder', '--json'], ws, env);
      expect(query.code).not.toBe(0);
      expect(query.stdout + query.stderr).not.toContain('Amina');
    } finally {
      await writeFile(join(ws, 'hekima.yaml'), config);
      await rm(join(ws, 'stolen'), { recursive: true, force: true });
    }
  }, 120_000);

  it('never serves key material: the key lives outside the workspace and `.hekima/secret.key` is refused', async () => {
    const config = await readFile(join(ws, 'hekima.yaml'), 'utf8');
    const withRoot = `${config}  - name: everything\n    type: file\n    config:\n      path: .\n`;
    await writeFile(join(ws, 'hekima.yaml'), withRoot);
    const inputs = product('keys', 'everything', '.hekima/secret.key', 'csv');
    await writeFiles({
      ...inputs,
      'keys/output.yaml': `apiVersion: akili/v1\nkind: Output\nschema:\n  - name: k\n    type: string\n    primary_key: true\n    role: identity\n`,
      'keys/logic/transform.sql': 'SELECT * FROM raw\n',
    });
    try {
      // No key file in the workspace: the key lives in the state folder, outside any connection.
      expect(existsSync(join(ws, '.hekima', 'secret.key'))).toBe(false);
      const keyDir = join(tmp, 'state', 'keys');
      const keys = await readdir(keyDir);
      expect(keys).toHaveLength(1);
      const key = (await readFile(join(keyDir, keys[0]!), 'utf8')).trim();

      const validate = await hekima(['validate', ws], ws, env);
      expect(validate.code, validate.stdout).toBe(1);
      const line = lineOf(inputs['keys/inputs.yaml']!, 'path: .hekima');
      expect(validate.stdout).toMatch(new RegExp(`keys/inputs\\.yaml[\\s\\S]*^ +${line}:\\d+ +error .*CON-005$`, 'm'));

      const run = await hekima(['run', '--workspace', ws, '--product', 'keys'], ws, env);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).not.toContain(key);
      const query = await hekima(['query', 'keys', '--workspace', ws, '--json'], ws, env);
      expect(query.stdout + query.stderr).not.toContain(key);
    } finally {
      await writeFile(join(ws, 'hekima.yaml'), config);
      await rm(join(ws, 'keys'), { recursive: true, force: true });
    }
  }, 120_000);
});
