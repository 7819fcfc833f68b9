import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../platform-core/src/cli/main.js';
import { createPlatform } from '../../platform-core/src/composition.js';
import { canonicalJson } from '../../platform-core/src/domain/plan/canonical-json.js';
import type { HashedPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import { planHash } from '../../platform-core/src/application/generate/generate-plans.js';

const retail = fileURLToPath(new URL('../../fixtures/workspaces/retail', import.meta.url));

function io(cwd: string) {
  let out = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, cwd, env: {} },
    out: () => out,
  };
}

function copyRetail(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'hekima-gen-')), 'some', 'deeper', 'retail');
  cpSync(retail, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
  return dir;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('hekima generate', () => {
  const platform = createPlatform();

  it('writes byte-identical plans from two copies of the workspace in different folders', async () => {
    const a = copyRetail();
    const b = copyRetail();
    const outB = join(mkdtempSync(join(tmpdir(), 'hekima-plans-')), 'plans');
    expect(await runCli(['generate', a], io(a).io, platform)).toBe(0);
    const second = io(tmpdir());
    expect(await runCli(['generate', b, '--out', outB, '--json'], second.io, platform)).toBe(0);
    const filesA = listFiles(join(a, '.hekima', 'plans'));
    expect(filesA).toEqual(listFiles(outB));
    expect(filesA).toContain('outlet-daily-sales/1.2.0.json');
    expect(filesA).toHaveLength(9);
    for (const f of filesA) expect(readFileSync(join(a, '.hekima', 'plans', f))).toEqual(readFileSync(join(outB, f)));
    // Generating again gives the same bytes; no absolute path leaks into a plan.
    expect(await runCli(['generate', a, '--out', join(a, 'again')], io(a).io, platform)).toBe(0);
    for (const f of filesA) {
      const text = readFileSync(join(a, 'again', f), 'utf8');
      expect(text).toBe(readFileSync(join(outB, f), 'utf8'));
      expect(text).not.toContain(a);
      expect(text).not.toContain(tmpdir());
      const plan = JSON.parse(text) as HashedPlan;
      const { hash, ...rest } = plan;
      expect(hash).toBe(planHash(rest));
      expect(canonicalJson(plan)).toBe(text);
    }
    const written = JSON.parse(second.out()) as { plans: { product: string; hash: string }[] };
    expect(written.plans).toHaveLength(9);
  });

  it('binds inputs, wraps the transform and plans checks, writers, events and schedule', async () => {
    const dir = copyRetail();
    expect(await runCli(['generate', dir], io(dir).io, platform)).toBe(0);
    const plan = JSON.parse(
      readFileSync(join(dir, '.hekima/plans/outlet-daily-sales/1.2.0.json'), 'utf8'),
    ) as HashedPlan;
    expect(plan.inputs.map((i) => [i.id, i.tables])).toEqual([
      ['pos-transactions', ['pos-transactions', 'pos_transactions']],
      ['outlets', ['outlets']],
    ]);
    expect(plan.inputs[0]).toMatchObject({
      type: 'data_product',
      upstream: { product: 'pos-transactions', version: '2.1.0', range: '^2.1.0' },
    });
    expect(plan.transform).toMatchObject({ runtime: 'sql', file: 'outlet-daily-sales/logic/transform.sql' });
    expect(plan.events).toEqual({
      subscribe: [
        { topic: 'acme-retail.pos-transactions.data.available', input: 'pos-transactions' },
        { topic: 'acme-retail.outlets.data.available', input: 'outlets' },
      ],
      publish: 'acme-retail.outlet-daily-sales.data.available',
    });
    expect(plan.schedule).toEqual({ type: 'event', expression: null, timezone: 'UTC' });
    expect(plan.serving.map((s) => [s.type, s.store])).toEqual([
      ['timeseries', 'postgres'],
      ['lookup', 'postgres'],
      ['analytics', 'lake'],
    ]);
    const custom = plan.quality.find((q) => q.type === 'custom_sql');
    expect(custom?.sql).toContain('FROM "output"');
    expect(custom?.expect).toBe('failures = 0');
    const py = JSON.parse(
      readFileSync(join(dir, '.hekima/plans/category-basket-affinity/0.3.0.json'), 'utf8'),
    ) as HashedPlan;
    expect(py.transform).toMatchObject({
      runtime: 'python',
      module: 'logic/transform.py',
      call: 'transform({"pos-transactions", "products-catalog"})',
    });
    expect(py.quality.find((q) => q.type === 'custom_python')).toMatchObject({
      entrypoint: 'category-basket-affinity/checks/lift_is_finite.py',
      call: 'check(output)',
    });
  });

  it('generates check SQL that DuckDB runs over the expected outputs (every check passes)', async () => {
    const dir = copyRetail();
    expect(await runCli(['generate', dir], io(dir).io, platform)).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`SET TimeZone = 'UTC'`);
    const plans = listFiles(join(dir, '.hekima/plans')).map(
      (f) => JSON.parse(readFileSync(join(dir, '.hekima/plans', f), 'utf8')) as HashedPlan,
    );
    for (const plan of plans) {
      const expected = join(dir, plan.product.folder, 'tests/fixtures/expected_output.csv');
      await c.run(
        `CREATE OR REPLACE TABLE "reference:${plan.product.name}" AS SELECT * FROM read_csv('${expected}', header = true)`,
      );
    }
    let ran = 0;
    for (const plan of plans) {
      await c.run(`CREATE OR REPLACE VIEW "output" AS SELECT * FROM "reference:${plan.product.name}"`);
      for (const check of plan.quality) {
        if (!check.sql || check.type === 'freshness') continue;
        const row = (await c.runAndReadAll(check.sql)).getRowObjectsJson()[0];
        if (check.type === 'custom_sql') expect(row?.['failures']).toBe('0');
        else expect([plan.product.name, check.name, row?.['passed']]).toEqual([plan.product.name, check.name, true]);
        if (check.samples_sql) await c.run(check.samples_sql);
        ran++;
      }
    }
    expect(ran).toBeGreaterThan(30);
    c.closeSync();
    instance.closeSync();
  });

  it("runs a plan's bind, sandbox and wrapped statements as written", async () => {
    const dir = copyRetail();
    expect(await runCli(['generate', dir], io(dir).io, platform)).toBe(0);
    const plan = JSON.parse(
      readFileSync(join(dir, '.hekima/plans/outlet-daily-sales/1.2.0.json'), 'utf8'),
    ) as HashedPlan;
    if (plan.transform.runtime !== 'sql') throw new Error('expected SQL');
    const { DuckDbEngine } = await import('../../platform-core/src/adapters/duckdb/duckdb-engine.js');
    const { parseColumnType } = await import('../../platform-core/src/domain/column-type.js');
    const snapshots = new Map<string, string>();
    for (const input of plan.inputs) {
      const upstream = JSON.parse(
        readFileSync(
          join(dir, `.hekima/plans/${input.id}`, readdirSync(join(dir, '.hekima/plans', input.id))[0] ?? ''),
          'utf8',
        ),
      ) as HashedPlan;
      const columns = upstream.output.columns.map((c) => {
        const t = parseColumnType(c.type);
        if (!t.ok) throw new Error(t.error);
        return { name: c.name, type: t.type, primaryKey: c.primary_key, nullable: c.nullable };
      });
      const path = join(dir, `${input.id}.parquet`);
      await new DuckDbEngine().run({
        logic: {
          kind: 'table',
          source: {
            kind: 'file',
            path: join(dir, 'outlet-daily-sales/tests/fixtures', `${input.id}.csv`),
            format: 'csv',
            columns,
          },
        },
        inputs: [],
        output: columns,
        outputPath: path,
      });
      snapshots.set(input.id, path);
    }
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    for (const statement of plan.transform.bind)
      await c.run(statement.replace(/\{snapshot:([^}]+)\}/, (_m, id: string) => snapshots.get(id) ?? ''));
    // `{inputs}`: the files the views read; `{output}`: the staged snapshot file.
    const inputsList = [...snapshots.values()].map((p) => `'${p}'`).join(', ');
    for (const statement of plan.transform.sandbox)
      await c.run(statement.replace("'{inputs}'", inputsList).replace('{output}', join(dir, 'out.parquet')));
    await c.run(plan.transform.wrapped);
    const rows = (await c.runAndReadAll(`SELECT COUNT(*) AS n FROM "${plan.transform.relation}"`)).getRowObjectsJson();
    expect(rows).toEqual([{ n: '6' }]);
    // Locked: any other file is out of reach.
    await expect(
      c.run(`SELECT * FROM read_csv('${join(dir, 'outlet-daily-sales/tests/fixtures/expected_output.csv')}')`),
    ).rejects.toThrow(/Permission Error|disabled/i);
    c.closeSync();
    instance.closeSync();
  });

  it('refuses to generate for a workspace with validation errors', async () => {
    const dir = copyRetail();
    rmSync(join(dir, 'outlets/output.yaml'));
    writeFileSync(join(dir, 'customers/compute.yaml'), 'apiVersion: akili/v1\nkind: Compute\nruntime: cobol\n');
    const b = io(dir);
    expect(await runCli(['generate', dir], b.io, platform)).toBe(1);
    expect(b.out()).toMatch(/error/);
    expect(b.out()).toContain('no plans generated');
    expect(existsSync(join(dir, '.hekima/plans'))).toBe(false);
  });
});
