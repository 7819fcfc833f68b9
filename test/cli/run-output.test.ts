import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diamondWorkspace } from '../run/event-workspace.js';
import { hekima, type CliResult } from '../run/e2e-support.js';

/**
 * What `hekima run` prints (the built CLI, a child process): every check counted, each failed
 * check (blocking and warn) with its measured value and threshold, progress numbers that stay with
 * their product when products run at once, a header on the table.
 */
describe('hekima run output (built CLI)', () => {
  let dir: string;
  let run: CliResult;

  beforeAll(async () => {
    dir = await diamondWorkspace({ tenant: 'run-output' });
    // gamma: four checks; one blocking check fails (3 rows, at least 10 wanted), one warn check fails.
    await writeFile(
      join(dir, 'gamma/quality.yaml'),
      `apiVersion: akili/v1
kind: Quality
checks:
  - name: enough_rows
    type: volume
    config: { min_rows: 10, max_rows: 1000 }
    severity: error
  - name: ids_unique
    type: uniqueness
    config: { columns: [id] }
  - name: ids_present
    type: completeness
    config: { column: id, threshold: 1.0 }
  - name: v1_small
    type: range
    config: { column: v1, min: 0, max: 20 }
    severity: warn
`,
    );
    run = await hekima(['run', dir, '--concurrency', '2'], dir, {});
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with gamma failed and delta skipped', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/\n\s*gamma\s+failed\b/);
    expect(run.stdout).toMatch(/\n\s*delta\s+skipped\b/);
    expect(run.stdout).toContain('  gamma: 1 blocking quality check(s) failed: enough_rows');
  });

  it('counts every check of a product whose blocking check failed', () => {
    const gamma = run.stdout.split('\n').find((l) => /^\s*gamma\s/.test(l))!;
    // passed/failed/all: the warn check fails too, so 2 passed, 2 failed, of 4.
    expect(gamma).toContain('2/2/4');
    expect(run.stderr).toMatch(/gamma: failed: .*\(4 checks: 2 passed, 2 failed\)/);
  });

  it('names every failed check, warn included, with the measured value and the threshold', () => {
    expect(run.stdout).toMatch(/gamma: check enough_rows \(volume, blocking\) failed: measured 3, threshold .*10/);
    expect(run.stdout).toMatch(/gamma: check v1_small \(range, warn\) failed: measured 2, threshold .*20/);
    expect(run.stderr).toContain('check v1_small (range, warn) failed');
  });

  it('prints a header on the summary table', () => {
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((l) =>
      /^product\s+status\s+rows\s+checks passed\/failed\/all\s+endpoints\s+time/.test(l),
    );
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toMatch(/^alpha\s+succeeded/);
  });

  it('keeps each product’s number on its start and its result line, and never gives two products one number', () => {
    const numbered = [...run.stderr.matchAll(/^\[(\d+)\/(\d+)\] ([a-z-]+): (\w+)/gm)].map((m) => ({
      n: m[1]!,
      total: m[2]!,
      product: m[3]!,
      what: m[4]!,
    }));
    expect(numbered.length).toBeGreaterThanOrEqual(4 + 3);
    const byProduct = new Map<string, Set<string>>();
    const byNumber = new Map<string, Set<string>>();
    for (const line of numbered) {
      byProduct.set(line.product, (byProduct.get(line.product) ?? new Set()).add(line.n));
      byNumber.set(line.n, (byNumber.get(line.n) ?? new Set()).add(line.product));
    }
    for (const [product, numbers] of byProduct) expect([...numbers], product).toHaveLength(1);
    for (const [n, products] of byNumber) expect([...products], n).toHaveLength(1);
    expect(new Set(numbered.map((l) => l.total))).toEqual(new Set(['4']));
  });

  it('hekima audit shows every gate, as a table with a header and the product', async () => {
    const audit = await hekima(['audit', '--workspace', dir, '--limit', '100'], dir, {});
    expect(audit.code, audit.stderr).toBe(0);
    const lines = audit.stdout.split('\n');
    expect(lines[0]).toMatch(/^seq\s+occurred\s+event\s+product\s+actor\s+event id\s+hash\s+detail$/);
    const gate = lines.filter((l) => /QualityCheck(Completed|Failed)/.test(l));
    // alpha and beta (one check each) and gamma's four.
    expect(gate).toHaveLength(6);
    expect(gate.find((l) => l.includes('QualityCheckFailed'))).toMatch(
      /\sgamma\s.*check_name="enough_rows".*measured=3/,
    );
    expect(gate.find((l) => l.includes('"v1_small"'))).toMatch(
      /QualityCheckCompleted\s+gamma\s.*check_name="v1_small" passed=false/,
    );
  });
});
