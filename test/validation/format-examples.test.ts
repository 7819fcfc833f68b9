import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlatform, validateWorkspace, type Finding } from '@hekima/platform-core';
import { workspacesRoot } from '@hekima/fixtures';

/**
 * Connector inputs written as the akili/v1 format's own examples write them: `ingestion_config`
 * gives `cursor_field` / `primary_key` only, or is absent. validate accepts them (no error); where
 * the runtime resolves a default (the table, the path), a CON-004 warning says which.
 */
const platform = createPlatform();
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const HEKIMA = `apiVersion: akili/v1
kind: Workspace
tenant: acme
teams:
  - sales-analytics
  - crm
connections:
  - name: shop-files
    type: file
    config: { path: data/, format: csv }
  - name: pg-production
    type: postgres
    config: { host: 127.0.0.1, database: shop }
  - name: landing
    type: s3
    config: { bucket: landing, prefix: orders/ }
`;

function workspace(input: string): string {
  const root = mkdtempSync(join(tmpdir(), 'hekima-format-'));
  roots.push(root);
  cpSync(join(workspacesRoot, 'minimal'), root, { recursive: true });
  writeFileSync(join(root, 'hekima.yaml'), HEKIMA);
  writeFileSync(
    join(root, 'orders', 'inputs.yaml'),
    `apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - id: raw-orders\n    type: connector\n${input}defaults:\n  timeout: 4h\n  fallback: fail\n`,
  );
  return root;
}

const show = (f: Finding) => `${f.code} ${f.severity} ${f.file}:${f.range.start.line} ${f.message}`;

async function validate(input: string) {
  return validateWorkspace(platform.validationDeps(workspace(input)), { tier: 'full', scope: '' });
}

describe('connector inputs as the format writes them', () => {
  it('incremental with only cursor_field and primary_key (the format example) is valid; the table defaults to the input id', async () => {
    const result = await validate(
      '    connector_ref: pg-production\n    ingestion_strategy: incremental\n    ingestion_config:\n      cursor_field: updated_at\n      primary_key: transaction_id\n    timeout: 2h\n    fallback: fail\n',
    );
    expect(result.errors.map(show)).toEqual([]);
    expect(result.warnings.filter((f) => f.code === 'CON-004').map(show)).toEqual([
      "CON-004 warning orders/inputs.yaml:8 input 'raw-orders' reads postgres connection 'pg-production' with incremental and its ingestion_config has no 'table' or 'query': it reads the table \"raw-orders\" (the input id)",
    ]);
  });

  it('cdc with only primary_key is valid (cdc itself is reported as not runnable yet, a warning)', async () => {
    const result = await validate(
      '    connector_ref: pg-production\n    ingestion_strategy: cdc\n    ingestion_config:\n      primary_key: transaction_id\n',
    );
    expect(result.errors.map(show)).toEqual([]);
    expect(result.warnings.map((f) => f.code).sort()).toEqual(['CON-003', 'CON-004']);
  });

  it('cdc with only cursor_field is valid', async () => {
    const result = await validate(
      '    connector_ref: pg-production\n    ingestion_strategy: cdc\n    ingestion_config:\n      cursor_field: updated_at\n',
    );
    expect(result.errors.map(show)).toEqual([]);
  });

  it('an s3 input without ingestion_config is valid; it reads the connection path', async () => {
    const result = await validate('    connector_ref: landing\n    ingestion_strategy: full_refresh\n');
    expect(result.errors.map(show)).toEqual([]);
    expect(result.warnings.filter((f) => f.code === 'CON-004').map(show)).toEqual([
      "CON-004 warning orders/inputs.yaml:4 input 'raw-orders' reads s3 connection 'landing' with full_refresh and its ingestion_config has no 'path': it reads every file under the connection's path",
    ]);
  });
});
