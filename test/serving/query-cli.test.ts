import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPlan } from '../../platform-core/src/application/generate/generate-plans.js';
import { commitSnapshot } from '../../platform-core/src/application/lake/commit-snapshot.js';
import { writeSnapshot } from '../../platform-core/src/application/lake/write-snapshot.js';
import { projectSnapshot } from '../../platform-core/src/application/serving/project-snapshot.js';
import { servingPlan } from '../../platform-core/src/application/serving/serving-plan.js';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { runCli } from '../../platform-core/src/cli/main.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { writeParquet } from '../quality/support/parquet.js';
import { capturedIo } from '../cli/captured-io.js';

const RETAIL = new URL('../../fixtures/workspaces/retail/', import.meta.url).pathname;
const ROWS = `SELECT * FROM (VALUES
  ('C-00001', 'Amani Mwangi', 'amani@example.com', '+254700000001', 'Nairobi', 'gold', DATE '2024-01-05', true, TIMESTAMP '2026-11-01 08:00:00'),
  ('C-00002', 'Neema Otieno', 'neema@example.com', '+254700000002', 'Mombasa', 'silver', DATE '2024-03-09', false, TIMESTAMP '2026-11-01 09:30:00')
) AS t(customer_id, full_name, email, phone, city, loyalty_tier, signup_date, marketing_opt_in, updated_at)`;

describe('hekima query (embedded workspace)', () => {
  let dir: string;
  let platform: Platform;
  let tenantId: string;
  const audited = async () =>
    (
      await (await platform.catalog()).forTenant(tenantId).audit.list({ limit: 100 }, { eventType: 'DataAccessed' })
    ).items
      .slice()
      .reverse();
  const run = async (...args: string[]) => {
    const { io, stdout, stderr } = capturedIo(dir, { USER: 'amina' });
    const code = await runCli(['query', ...args, '--workspace', dir], io, platform);
    return { code, out: stdout(), err: stderr() };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-query-'));
    await cp(RETAIL, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
  });
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says plainly when the product was never run (exit 1)', async () => {
    const r = await run('customers');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'hekima query: product_never_run: Product "customers" has never been run here: it has no committed snapshot to query.\n',
    );
  });

  it('reads the lookup table, masked for the default internal clearance, as a table and as JSON', async () => {
    const catalog = await platform.catalog();
    const tenant = await resolveWorkspaceTenant(catalog, 'acme-retail', { provision: true });
    tenantId = tenant.id;
    const plan = hashPlan((await servingPlan(platform.validationDeps(dir), 'customers')).plan);
    // Deployed as `hekima run` deploys: the version row keeps the plan, the deployment names its hash.
    const target = await catalog.transaction(tenant.id, async (tx) => {
      const product = await tx.products.register({ name: 'customers' });
      const version = await tx.products.addVersion({
        productId: product.id,
        version: '1.3.0',
        manifests: { plan } as never,
        manifestHash: plan.hash,
      });
      await tx.deployments.create({ productId: product.id, productVersionId: version.id, reason: `plan ${plan.hash}` });
      return {
        tenantId: tenant.id,
        productId: product.id,
        productVersionId: version.id,
        product: 'customers',
        version: '1.3.0',
      };
    });
    const deps = {
      catalog,
      lake: platform.lake(),
      checkEngine: platform.checkEngine,
      stores: await platform.servingStores(),
    };
    const staged = await writeSnapshot(deps, target, async (temp) => {
      await writeParquet(temp, ROWS);
      return { rowCount: 2 };
    });
    const { snapshot } = await commitSnapshot(deps, staged);
    const report = await projectSnapshot(deps, { tenantId: tenant.id, productId: target.productId, plan });
    expect(report.endpoints).toEqual([expect.objectContaining({ endpoint: 'lookup', status: 'served', written: 2 })]);

    const table = await run('customers', '--filter', 'customer_id:C-00002');
    expect(table.code).toBe(0);
    expect(table.out).toContain(`customers · snapshot ${snapshot.id}`);
    expect(table.out).toContain('masked for your clearance: full_name, email, phone');
    expect(table.out).toMatch(
      /C-00002\s+\*\*\*MASKED\*\*\*\s+\*\*\*MASKED\*\*\*\s+\*\*\*MASKED\*\*\*\s+Mombasa\s+silver/,
    );
    expect(table.out).toContain('(1 row)');

    const json = JSON.parse(
      (await run('customers', '--filter', 'customer_id:C-00001', '--json', '--clearance', 'confidential')).out,
    );
    expect(json).toMatchObject({ product: 'customers', source: 'lookup', masked: [] });
    expect(json.rows).toEqual([
      {
        customer_id: 'C-00001',
        full_name: 'Amani Mwangi',
        email: 'amani@example.com',
        phone: '+254700000001',
        city: 'Nairobi',
        loyalty_tier: 'gold',
        signup_date: '2024-01-05',
        marketing_opt_in: true,
        updated_at: '2026-11-01T08:00:00+00:00',
      },
    ]);

    const sql = JSON.parse(
      (await run('customers', '--sql', 'SELECT loyalty_tier, email FROM customers ORDER BY 1', '--json')).out,
    );
    expect(sql).toMatchObject({ source: 'analytics', columns: ['loyalty_tier', 'email'] });
    expect(sql.rows).toEqual([
      { loyalty_tier: 'gold', email: MASKED },
      { loyalty_tier: 'silver', email: MASKED },
    ]);

    const bad = await run('customers', '--filter', 'city:Nairobi');
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toContain('filter_not_indexed');
  });

  it('audits every read of confidential data (who, clearance, columns in clear and masked, filters), a denied one too', async () => {
    const denied = await run('customers', '--filter', 'email:amani@example.com');
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('filter_on_masked_column');
    const entries = await audited();
    expect(entries.map((e) => [e.actor, e.payload['outcome'], e.payload['clearance'], e.payload['source']])).toEqual([
      ['local:amina', 'allowed', 'internal', 'lookup'],
      ['local:amina', 'allowed', 'confidential', 'lookup'],
      ['local:amina', 'allowed', 'internal', 'analytics'],
      ['local:amina', 'failed', 'internal', 'lookup'],
      ['local:amina', 'denied', 'internal', 'lookup'],
    ]);
    const [first, second, sql, failed, refused] = entries;
    expect(first?.payload).toMatchObject({
      product: 'customers',
      version: '1.3.0',
      level: 'confidential',
      columns_masked: ['full_name', 'email', 'phone'],
      columns_unmasked: expect.arrayContaining(['customer_id', 'city', 'loyalty_tier']),
      filters: [{ column: 'customer_id', value: 'C-00002' }],
      rows: 1,
    });
    expect(first?.productId).toBe(first?.payload['product_id']);
    expect(typeof first?.payload['snapshot_id']).toBe('string');
    expect(second?.payload).toMatchObject({ columns_masked: [], rows: 1 });
    expect(second?.payload['columns_unmasked']).toContain('email');
    expect(sql?.payload).toMatchObject({ sql: 'SELECT loyalty_tier, email FROM customers ORDER BY 1', rows: 2 });
    expect(failed?.payload['error']).toMatchObject({ code: 'filter_not_indexed' });
    expect(refused?.payload).toMatchObject({
      filters: [{ column: 'email', value: 'amani@example.com' }],
      error: { code: 'filter_on_masked_column' },
    });
    expect(refused?.payload['rows']).toBeUndefined();
    // The entries are links of the tenant's hash chain.
    const verify = await runCli(['audit', 'verify', '--workspace', dir], quietIO(dir), platform);
    expect(verify).toBe(0);
  });

  it('masks and routes per the DEPLOYED plan: edited but undeployed output.yaml and serving.yaml change nothing', async () => {
    const output = join(dir, 'customers/output.yaml');
    const text = await readFile(output, 'utf8');
    const edited = text.replace(/(- name: email[\s\S]*?classification: )confidential/, '$1internal');
    expect(edited).not.toBe(text);
    await writeFile(output, edited);
    await writeFile(
      join(dir, 'customers/serving.yaml'),
      'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n',
    );
    const workspace = await servingPlan(platform.validationDeps(dir), 'customers');
    expect(workspace.columnClassifications['email']).toBe('internal');
    expect(workspace.plan.serving.map((w) => w.type)).toEqual(['analytics']);

    const r = JSON.parse((await run('customers', '--filter', 'customer_id:C-00001', '--json')).out);
    expect(r).toMatchObject({ source: 'lookup', masked: ['full_name', 'email', 'phone'] });
    expect(r.rows[0]).toMatchObject({ customer_id: 'C-00001', email: MASKED });
    const sql = JSON.parse((await run('customers', '--sql', 'SELECT email FROM customers ORDER BY 1', '--json')).out);
    expect(sql.rows).toEqual([{ email: MASKED }, { email: MASKED }]);
  });

  it('refuses a deployment whose plan is neither recorded nor rebuilt by the workspace; follows a deployed edit', async () => {
    const catalog = await platform.catalog();
    const tenant = catalog.forTenant(tenantId);
    const product = (await tenant.products.getByName('customers'))!;
    const version = (await tenant.products.listVersions(product.id)).items[0]!;
    await catalog.transaction(tenantId, (tx) =>
      tx.deployments.create({ productId: product.id, productVersionId: version.id, reason: `plan ${'b'.repeat(64)}` }),
    );
    const refused = await run('customers', '--filter', 'customer_id:C-00001');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('deployed_plan_unavailable');
    expect(refused.err).toContain('hekima run --product customers');

    // Deploying the edited workspace (same version, new plan hash): now the edit is what is served.
    const edited = hashPlan((await servingPlan(platform.validationDeps(dir), 'customers')).plan);
    await catalog.transaction(tenantId, (tx) =>
      tx.deployments.create({ productId: product.id, productVersionId: version.id, reason: `plan ${edited.hash}` }),
    );
    const r = JSON.parse((await run('customers', '--sql', 'SELECT email FROM customers ORDER BY 1', '--json')).out);
    expect(r).toMatchObject({ source: 'analytics', masked: ['full_name', 'phone'] });
    expect(r.rows).toEqual([{ email: 'amani@example.com' }, { email: 'neema@example.com' }]);
  });
});

function quietIO(cwd: string) {
  return { stdout: { write: () => undefined }, stderr: { write: () => undefined }, cwd, env: {} };
}
