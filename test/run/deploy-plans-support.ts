import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runCli } from '../../platform-core/src/cli/main.js';
import type { Platform } from '../../platform-core/src/composition.js';
import { capturedIo } from '../cli/captured-io.js';
import { filesWorkspaceYaml } from './event-workspace.js';

export const PLANS_TENANT = 'plans-tenant';

/** Column classifications of `people` (all-or-nothing: every column has one). */
export interface PeopleEdit {
  readonly email: 'internal' | 'confidential';
  readonly city: 'internal' | 'confidential';
  /** The SQL expression of `city` in the transform. */
  readonly cityExpr?: string;
}

export const FIRST: PeopleEdit = { email: 'confidential', city: 'internal', cityExpr: 'city' };

/**
 * A one-product workspace: `people` reads data/people.csv through a file connector (full refresh),
 * is confidential, and serves its snapshot through the lake (analytics). Version 1.0.0 throughout:
 * `writePeople` edits classifications and the transform WITHOUT bumping it.
 */
export async function plansWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-plans-'));
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml(PLANS_TENANT),
    'data/people.csv': 'id,email,city\n1,amani@example.com,nairobi\n2,neema@example.com,mombasa\n',
    'people/product.yaml': `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: people
  domain: test
  version: 1.0.0
  owner: data-team
  description: People of the deploy-plans test workspace.
  classification: confidential
`,
    'people/inputs.yaml': `apiVersion: akili/v1
kind: Inputs
inputs:
  - id: raw-people
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: people.csv
      format: csv
defaults:
  timeout: 4h
  fallback: fail
`,
    'people/compute.yaml': `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: manual
retry:
  max_attempts: 1
`,
    'people/serving.yaml': `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    'people/logic/transform.sql': '',
    'people/quality.yaml': `apiVersion: akili/v1
kind: Quality
checks:
  - name: people_rows
    type: volume
    config: { min_rows: 1, max_rows: 1000 }
`,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await writePeople(dir, FIRST);
  return dir;
}

/** Rewrites people's output.yaml classifications and its transform (same version). */
export async function writePeople(dir: string, edit: PeopleEdit): Promise<void> {
  await writeFile(
    join(dir, 'people/output.yaml'),
    `apiVersion: akili/v1
kind: Output
schema:
  - name: id
    type: integer
    primary_key: true
    role: identity
    classification: internal
  - name: email
    type: string
    classification: ${edit.email}
  - name: city
    type: string
    classification: ${edit.city}
`,
  );
  await writeFile(
    join(dir, 'people/logic/transform.sql'),
    `SELECT CAST(id AS INTEGER) AS id, email, ${edit.cityExpr ?? 'city'} AS city FROM raw_people\n`,
  );
}

export async function readPeopleOutput(dir: string): Promise<string> {
  return readFile(join(dir, 'people/output.yaml'), 'utf8');
}

/** `hekima query people --json` (default clearance: internal), in process. */
export async function queryPeople(platform: Platform, dir: string, ...args: string[]) {
  const { io, stdout: out, stderr: err } = capturedIo(dir, { USER: 'amina' });
  const code = await runCli(['query', 'people', '--json', ...args, '--workspace', dir], io, platform);
  const text = out();
  return {
    code,
    err: err(),
    json: (text ? JSON.parse(text) : undefined) as
      { snapshotId: string; masked: string[]; rows: Record<string, unknown>[]; notes?: string[] } | undefined,
  };
}

/** The tenant, product and catalog handles of `people`. */
export async function peopleIds(platform: Platform) {
  const catalog = await platform.catalog();
  const tenant = await resolveWorkspaceTenant(catalog, PLANS_TENANT, { provision: false });
  const scoped = catalog.forTenant(tenant.id);
  const product = await scoped.products.getByName('people');
  if (!product) throw new Error('people is not registered');
  return { catalog, tenantId: tenant.id, scoped, productId: product.id };
}
