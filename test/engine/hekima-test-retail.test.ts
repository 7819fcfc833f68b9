import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPlatform } from '../../platform-core/src/composition.js';
import { runCli } from '../../platform-core/src/cli/main.js';

const retail = fileURLToPath(new URL('../../fixtures/workspaces/retail', import.meta.url));
const PRODUCTS = [
  'outlets',
  'products-catalog',
  'customers',
  'pos-transactions',
  'erp-inventory',
  'outlet-daily-sales',
  'customer-lifetime-value',
  'category-basket-affinity',
  'store-manager-dashboard-feed',
];

function buffers() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd: retail,
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

describe('hekima test on the retail workspace', () => {
  const platform = createPlatform();
  for (const product of PRODUCTS) {
    it(`${product} matches its expected output`, async () => {
      const b = buffers();
      const code = await runCli(['test', product, '--workspace', retail], b.io, platform);
      expect(b.out() + b.err()).toMatch(/✔/);
      if (process.env['SHOW']) process.stderr.write(b.out());
      expect(code).toBe(0);
    });
  }
});

describe('hekima test on a mismatch', () => {
  it('prints missing, extra and changed rows and exits 1', async () => {
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const copy = join(mkdtempSync(join(tmpdir(), 'hekima-retail-')), 'retail');
    cpSync(retail, copy, { recursive: true, filter: (src) => !src.includes('.hekima') });
    const file = join(copy, 'outlets/tests/fixtures/expected_output.csv');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[1] = (lines[1] ?? '').replace('rift-valley', 'coast');
    lines.splice(2, 1);
    lines.push('ZZZ-999,Ghost,Nowhere,coast,express,2020-01-01,100,true');
    writeFileSync(file, lines.join('\n') + '\n');
    const b = buffers();
    const code = await runCli(['test', 'outlets', '--workspace', copy], b.io, createPlatform());
    expect(code).toBe(1);
    expect(b.out()).toContain('changed rows: 1');
    expect(b.out()).toMatch(/region: expected "coast", got "rift-valley"/);
    expect(b.out()).toContain('missing rows (expected, not produced): 1');
    expect(b.out()).toContain('outlet_id="ZZZ-999"');
    expect(b.out()).toContain('extra rows (produced, not expected): 1');
  });
});

describe('hekima test on failing logic', () => {
  async function brokenCopy(edit: (dir: string) => void): Promise<string> {
    const { cpSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const copy = join(mkdtempSync(join(tmpdir(), 'hekima-broken-')), 'retail');
    cpSync(retail, copy, { recursive: true, filter: (src) => !src.includes('.hekima') });
    edit(copy);
    return copy;
  }

  it('points a Python exception at the logic file and line', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const copy = await brokenCopy((dir) => {
      const file = `${dir}/category-basket-affinity/logic/transform.py`;
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'category = category_of.get(line["sku"])',
          'category = category_of[line["nope"]]',
        ),
      );
    });
    const b = buffers();
    expect(
      await runCli(['test', 'category-basket-affinity', '--workspace', copy, '--json'], b.io, createPlatform()),
    ).toBe(1);
    const report = JSON.parse(b.out()) as { error: { code: string; message: string; details: { line: number } } };
    expect(report.error.code).toBe('python_exception');
    expect(report.error.message).toMatch(/^category-basket-affinity\/logic\/transform\.py:\d+: KeyError/);
  });

  it('names the SQL file, line and column of a conversion error', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const copy = await brokenCopy((dir) => {
      const file = `${dir}/outlets/logic/transform.sql`;
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('CAST(floor_area_m2 AS BIGINT) AS floor_area_m2', 'city AS floor_area_m2'),
      );
    });
    const b = buffers();
    expect(await runCli(['test', 'outlets', '--workspace', copy], b.io, createPlatform())).toBe(1);
    expect(b.out()).toMatch(
      /outlets\/logic\/transform\.sql:9:3: column floor_area_m2: value '.+' \(VARCHAR\) cannot be cast to integer/,
    );
  });
});
