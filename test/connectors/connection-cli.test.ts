import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hekima } from '../cli/run-cli.js';

const retail = fileURLToPath(new URL('../../fixtures/workspaces/retail', import.meta.url));
const ws = mkdtempSync(join(tmpdir(), 'hekima-conn-cli-'));
cpSync(join(retail, 'hekima.yaml'), join(ws, 'hekima.yaml'));
cpSync(join(retail, 'data'), join(ws, 'data'), { recursive: true });
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('hekima connection test', () => {
  it('a file connection whose folder exists is reachable', async () => {
    const run = await hekima(['connection', 'test', 'shop-files', '--workspace', ws], tmpdir());
    expect(run).toMatchObject({ code: 0, stdout: "OK Connection 'shop-files' is reachable\n" });
  });

  it('the postgres connection of the retail fixture is reachable with its env: secret', async () => {
    const run = await hekima(['connection', 'test', 'erp'], ws, { ERP_PASSWORD: 'not-needed-under-trust' });
    expect(run).toMatchObject({ code: 0, stdout: "OK Connection 'erp' is reachable\n" });
  });

  it('fails with the reason and exit 1, never printing a secret', async () => {
    const missing = await hekima(['connection', 'test', 'erp', '--workspace', ws], tmpdir());
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("FAIL Connection 'erp': password reads env:ERP_PASSWORD, which is not set.\n");
    writeFileSync(
      join(ws, 'hekima.yaml'),
      `tenant: acme-retail
connections:
  - name: down
    type: postgres
    config: { host: 127.0.0.1, port: 1, database: test, username: postgres, password: env:PW }
  - name: lake
    type: s3
    config: { bucket: b }
  - name: outside
    type: file
    config: { path: ../ }
`,
    );
    const down = await hekima(['connection', 'test', 'down', '--workspace', ws, '--json'], tmpdir(), { PW: 'hunter2' });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: false, code: 'source_unavailable' });
    expect(down.stdout).not.toContain('hunter2');
    const s3 = await hekima(['connection', 'test', 'lake', '--workspace', ws], tmpdir());
    expect(s3.stdout).toBe("FAIL Connection 'lake': The runtime cannot run s3 yet.\n");
    const outside = await hekima(['connection', 'test', 'outside', '--workspace', ws], tmpdir());
    expect(outside.stdout).toMatch(/^FAIL Connection 'outside': The path "\.\.\/" leaves the workspace root/);
    const unknown = await hekima(['connection', 'test', 'nope', '--workspace', ws], tmpdir());
    expect(unknown).toMatchObject({ code: 1, stdout: expect.stringContaining("No connection 'nope' in hekima.yaml") });
  });
});
