import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbCheckEngine } from '../../platform-core/src/adapters/duckdb/duckdb-check-engine.js';
import { DuckDbEngine } from '../../platform-core/src/adapters/duckdb/duckdb-engine.js';
import { FsScratchSpace } from '../../platform-core/src/adapters/fs/fs-scratch-space.js';
import { ChildProcessPythonRunner } from '../../platform-core/src/adapters/python/child-process-python-runner.js';
import { generatePlans } from '../../platform-core/src/application/generate/generate-plans.js';
import { runQualityGate } from '../../platform-core/src/application/quality/run-quality-gate.js';
import { createPlatform } from '../../platform-core/src/composition.js';
import type { HashedPlan } from '../../platform-core/src/domain/plan/product-plan.js';
import { writeParquet } from './support/parquet.js';

/** The generated plans of the sample workspace, gated over the products' realistic expected outputs. */
const retail = fileURLToPath(new URL('../../fixtures/workspaces/retail', import.meta.url));
const platform = createPlatform();
const deps = {
  checkEngine: new DuckDbCheckEngine(),
  expressions: platform.expressions,
  engine: new DuckDbEngine(),
  python: new ChildProcessPythonRunner(),
  scratch: new FsScratchSpace(),
};
let dir: string;
const plans: Record<string, HashedPlan> = {};
const snapshot: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hekima-retail-gates-'));
  const generated = await generatePlans(platform.validationDeps(retail));
  if (!generated.ok) throw new Error('the retail workspace does not validate');
  for (const file of generated.plans) plans[file.product] = file.plan;
  for (const product of ['customers', 'customer-lifetime-value', 'category-basket-affinity']) {
    const csv = join(retail, product, 'tests', 'fixtures', 'expected_output.csv');
    snapshot[product] = await writeParquet(join(dir, `${product}.parquet`), `SELECT * FROM read_csv('${csv}')`);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('quality gates on the retail sample', () => {
  it('customer-lifetime-value passes every check, its referential one against the current customers snapshot', async () => {
    const plan = plans['customer-lifetime-value']!;
    const gate = await runQualityGate(deps, {
      checks: plan.quality,
      outputPath: snapshot['customer-lifetime-value']!,
      references: { customers: snapshot['customers']! },
    });
    expect(gate.checks.map((c) => [c.name, c.status, c.measured])).toEqual([
      ['customer_unique', 'passed', 0],
      ['known_customer', 'passed', 0],
      ['segments', 'passed', 0],
      ['revenue_not_negative', 'passed', 0],
      ['purchase_dates_ordered', 'passed', { failures: 0 }],
    ]);
    expect(gate).toMatchObject({ promote: true, score: 100 });
  });

  it('customers: an old CRM export fails only its warn freshness check and is still promoted', async () => {
    const gate = await runQualityGate(deps, {
      checks: plans['customers']!.quality,
      outputPath: snapshot['customers']!,
    });
    const failing = gate.checks.filter((c) => c.status !== 'passed');
    expect(failing.map((c) => [c.name, c.severity])).toEqual([['crm_export_fresh', 'warn']]);
    expect(failing[0]!.measured).toBeGreaterThan(7 * 86_400);
    expect(gate.promote).toBe(true);
  });

  it('category-basket-affinity runs its custom_python check from the plan entrypoint', async () => {
    const gate = await runQualityGate(deps, {
      checks: plans['category-basket-affinity']!.quality,
      outputPath: snapshot['category-basket-affinity']!,
      workspaceRoot: retail,
    });
    const python = gate.checks.find((c) => c.type === 'custom_python')!;
    expect(python).toMatchObject({ name: 'lift_is_finite', status: 'passed', severity: 'warn' });
    expect(gate.promote).toBe(true);
  });
});
