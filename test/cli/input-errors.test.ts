import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima } from '../run/e2e-support.js';

/**
 * Issue 11, through the built CLI: input errors name the input file and line and the manifest
 * entry that reads it; a connection path outside the workspace fails `validate` at its
 * hekima.yaml line (and `run` refuses with the same finding).
 */

let tmp: string;
let ws: string;
let env: Record<string, string>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-input-errors-'));
  ws = join(tmp, 'ws');
  await cp(join(workspacesRoot, 'minimal'), ws, { recursive: true, filter: (s) => !s.includes('.hekima') });
  await rm(join(ws, 'orders'), { recursive: true });
  await rm(join(ws, 'customer-orders'), { recursive: true });
  env = { HEKIMA_STATE_DIR: join(tmp, 'state') };
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('input errors name the file, the line and the manifest entry (issue 11)', () => {
  it('a connection path outside the workspace fails validate at the hekima.yaml line; run refuses the same way', async () => {
    const config = await readFile(join(ws, 'hekima.yaml'), 'utf8');
    const outside = config.replace('path: data/', 'path: ../../../etc/');
    expect(outside).not.toBe(config);
    await writeFile(join(ws, 'hekima.yaml'), outside);
    try {
      const line = outside.split('\n').findIndex((l) => l.includes('../../../etc/')) + 1;
      const finding = new RegExp(
        `^hekima\\.yaml\\n {2}${line}:\\d+ +error .*'\\.\\./\\.\\./\\.\\./etc/'.*leaves the workspace.*WSP-005$`,
        'm',
      );
      const validate = await hekima(['validate', ws], ws, env);
      expect(validate.code, validate.stdout).toBe(1);
      expect(validate.stdout).toMatch(finding);
      const run = await hekima(['run', '--workspace', ws], ws, env);
      expect(run.code, run.stdout + run.stderr).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(finding);
    } finally {
      await writeFile(join(ws, 'hekima.yaml'), config);
    }
  }, 120_000);

  it('a malformed CSV row is reported with the CSV file and line and the input that reads it, not as an SQL error', async () => {
    const csv = join(ws, 'data/customers.csv');
    const good = await readFile(csv, 'utf8');
    // Within DuckDB's sniffing sample (it then falls back to one column), and far past it.
    const early = 'customer_id,name,country\n10,Amina,KE\n11,"Baraka, Otieno",TZ,extra\n12,Zawadi,UG\n';
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i + 100},n${i},KE`);
    const late = `customer_id,name,country\n${rows.join('\n')}\n99999,x,KE,extra\n`;
    try {
      for (const [text, line, found] of [
        [early, 3, '"11,\\"Baraka, Otieno\\",TZ,extra"'],
        [late, 30_002, '"99999,x,KE,extra"'],
      ] as const) {
        await writeFile(csv, text);
        const run = await hekima(['run', '--workspace', ws], ws, env);
        const out = run.stdout + run.stderr;
        expect(run.code, out).not.toBe(0);
        expect(out).toContain(
          `customers/inputs.yaml: input "raw-customers" reads data/customers.csv, whose line ${line} is malformed: expected 3 fields (as its header), found 4 — ${found}`,
        );
        expect(out).not.toMatch(/Binder Error|transform\.sql/);
      }
    } finally {
      await writeFile(csv, good);
    }
  }, 240_000);
});
