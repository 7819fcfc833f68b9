import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hekima, json, type QueryJson, type RunSummaryJson } from './e2e-support.js';
import { pythonWorkspace, SUMS_LOGIC } from './python-workspace.js';

/**
 * Issue 10 E through the built CLI: a 50 MB manifest used to crash every command (heap out of
 * memory after two minutes), `hekima query` included. Now it is refused unread with a finding
 * naming it, and what is already served stays readable.
 */
describe('a 50 MB manifest in a workspace that already serves data', () => {
  let dir: string;
  const env = { HEKIMA_LOG_LEVEL: 'warn' };

  beforeAll(async () => {
    dir = await pythonWorkspace(SUMS_LOGIC);
    const first = await hekima(['run', '--json'], dir, env);
    expect(first.code, first.stderr).toBe(0);
    expect(json<RunSummaryJson>(first).products[0]?.status).toBe('succeeded');
    // A column list generated with every row of the data: valid YAML, 50 MB.
    const column = (i: number) => `  - name: c${i}\n    type: integer\n`;
    const big = ['apiVersion: akili/v1\nkind: Output\nschema:\n'];
    for (let i = 0, size = 0; size < 50 * 1024 * 1024; i++) size += (big[big.push(column(i)) - 1] ?? '').length;
    await writeFile(join(dir, 'py-sums/output.yaml'), big.join(''));
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hekima validate refuses it unread with MAN-007 naming the file and the limit (exit 1)', async () => {
    const r = await hekima(['validate', '--json'], dir, env);
    expect(r.code, r.stderr).toBe(1);
    const { errors } = json<{ errors: { code: string; file: string; message: string }[] }>(r);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'MAN-007',
        file: 'py-sums/output.yaml',
        message: expect.stringMatching(/^py-sums\/output\.yaml is 50 MiB \(\d+ bytes\), over the 1 MiB limit/),
      }),
    ]);
  });

  it('hekima run refuses the workspace with the finding, without running anything', async () => {
    const r = await hekima(['run'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('py-sums/output.yaml is 50 MiB');
  });

  it('hekima query still serves the deployed data, and says the workspace does not build the product now', async () => {
    const r = await hekima(['query', 'py-sums', '--json'], dir, env);
    expect(r.code, r.stderr).toBe(0);
    const served = json<QueryJson & { notes?: string[] }>(r);
    expect(served.rows.map((row) => Number(row['v']))).toEqual([10, 20, 30]);
    expect(served.notes?.join(' ')).toMatch(/does not build py-sums now/);
  });

  it('an oversized hekima.yaml is refused unread too: query names it, and serves with --tenant', async () => {
    await writeFile(join(dir, 'hekima.yaml'), `tenant: pyws\n${'#\n'.repeat(600_000)}`);
    const refused = await hekima(['query', 'py-sums'], dir, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hekima\.yaml is 1\.14 MiB \(\d+ bytes\), over the 1 MiB limit: it was not read/);
    expect(refused.stderr).toContain('--tenant');
    const served = await hekima(['query', 'py-sums', '--tenant', 'pyws', '--json'], dir, env);
    expect(served.code, served.stderr).toBe(0);
    expect(json<QueryJson>(served).rows).toHaveLength(3);
  });
});
