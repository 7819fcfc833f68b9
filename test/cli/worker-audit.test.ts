import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresCatalog } from '../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { runWorker } from '../../platform-core/src/cli/commands/worker.js';
import type { CliIO } from '../../platform-core/src/cli/output.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { verifyAudit } from '../../platform-core/src/application/audit/audit-queries.js';
import { auditGroup } from '../../platform-core/src/domain/events/consumer-groups.js';
import { testSchemaName, TEST_DATABASE_URL } from '../catalog/support/test-databases.js';
import { sha256 } from '../executions/support/seed.js';
import { waitFor } from '../executions/support/harness.js';
import { hekima } from './run-cli.js';

// `hekima worker` also relays the outbox and runs the audit consumer: the audit trail fills
// without anyone running `hekima audit` (which is called here with --no-sync: it records nothing).
const STEPS = `export async function createStepRuntime() {
  return {
    handler: { plan: async () => [{ name: 'only', phase: 'run', kind: 'noop' }] },
    runner: { run: async () => ({ row_count: 2 }) },
  };
}
`;

const quietIO = (cwd: string, env: Record<string, string>): CliIO => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  cwd,
  env,
});

/** Registers and deploys a product, submits executions and publishes DataAvailable events. */
async function seed(platform: Platform, slug: string, executions: number): Promise<void> {
  const catalog = await platform.catalog();
  const tenant = (await catalog.tenants.getBySlug(slug))!;
  const bus = await platform.events();
  const { queue } = await platform.executions();
  const { productId, versionId } = await catalog.transaction(tenant.id, async (tx) => {
    const product = (await tx.products.getByName('orders')) ?? (await tx.products.register({ name: 'orders' }));
    const v = await tx.products.addVersion({
      productId: product.id,
      version: '1.0.0',
      manifests: {},
      manifestHash: sha256(`orders-${slug}`),
    });
    await tx.deployments.create({ productId: product.id, productVersionId: v.id });
    for (let i = 0; i < 2; i++)
      await bus.publish(tx, {
        eventType: 'DataAvailable',
        product: 'orders',
        productId: product.id,
        payload: {
          product_id: product.id,
          product_name: 'orders',
          snapshot_id: `snap-${i}`,
          freshness: '2026-11-23T00:00:00Z',
        },
      });
    return { productId: product.id, versionId: v.id };
  });
  for (let i = 0; i < executions; i++)
    await queue.submit(tenant.id, {
      productId,
      productVersionId: versionId,
      trigger: 'manual',
      idempotencyKey: `${slug}-${i}`,
    });
}

const WORKER_ARGS = { workers: '2', lease: '5s', poll: '100ms', drain: '2s' } as const;

describe('hekima worker runs the relay and the audit consumer', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-worker-audit-'));
    await writeFile(join(root, 'hekima.yaml'), 'tenant: acme-co\n');
    await writeFile(join(root, 'steps.mjs'), STEPS);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('embedded: an in-process pool fills the audit trail; `hekima audit verify` passes', async () => {
    // Provisions the workspace tenant (PGlite under .hekima).
    expect((await hekima(['audit', '--workspace', root, '--json'], tmpdir())).code).toBe(0);
    const platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: root }) });
    try {
      await seed(platform, 'acme-co', 3);
    } finally {
      await platform.close();
    }
    // The embedded catalog is this process's while the worker runs: run it, stop it, look, and go
    // again until the trail holds every event (bounded; nothing here records audit entries but the worker).
    const expected = 2 + 3 * 2; // DataAvailable ×2, ExecutionStarted/Completed ×3
    let audited: Record<string, unknown>[] = [];
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const stop = new AbortController();
      const running = runWorker(quietIO(root, {}), { steps: 'steps.mjs', ...WORKER_ARGS, sensor: false }, stop.signal);
      await new Promise((r) => setTimeout(r, 1500));
      stop.abort();
      expect(await running).toBe(0);
      const run = await hekima(['audit', '--workspace', root, '--json', '--no-sync', '--limit', '100'], tmpdir());
      expect(run.code, run.stderr).toBe(0);
      audited = (JSON.parse(run.stdout) as { items: Record<string, unknown>[] }).items;
      if (audited.filter((e) => e['eventType'] !== 'TenantCreated').length >= expected) break;
    }
    const types = audited.map((e) => String(e['eventType']));
    expect(types.filter((t) => t === 'DataAvailable')).toHaveLength(2);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(3);
    expect(types.filter((t) => t === 'ExecutionCompleted')).toHaveLength(3);
    const verify = await hekima(['audit', 'verify', '--workspace', root, '--no-sync'], tmpdir());
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('audit trail intact');
  });

  it('server mode: two workers, one relay at a time and one active audit member: every event audited once', async () => {
    const schema = testSchemaName('worker_audit');
    const env = {
      HEKIMA_DATABASE_URL: TEST_DATABASE_URL,
      HEKIMA_DATABASE_SCHEMA: schema,
      HEKIMA_DATABASE_POOL_SIZE: '6',
      HEKIMA_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
      HEKIMA_LAKE: join(root, '.hekima', 'lake'),
    };
    const platform = createPlatform({ config: await loadConfig({ env, workspaceRoot: root }) });
    const stop = new AbortController();
    const workers: Promise<number>[] = [];
    try {
      const catalog = await platform.catalog();
      const created = await catalog.tenants.create({ slug: 'beta-co', displayName: 'beta' });
      await catalog.tenants.transition(created.id, 'ACTIVE', 'test');
      for (const id of ['wa', 'wb'])
        workers.push(
          runWorker(quietIO(root, env), { steps: 'steps.mjs', ...WORKER_ARGS, id, sensor: false }, stop.signal),
        );
      await seed(platform, 'beta-co', 6);
      const expected = 2 + 6 * 2;
      const group = auditGroup('beta-co');
      await waitFor(
        async () => {
          const report = await verifyAudit(catalog, created.id, { auditGroup: group });
          return report.ok && report.checked >= expected;
        },
        90_000,
        `${expected} audited events`,
      );
      const rows = await catalog.forTenant(created.id).audit.chain(0, 500);
      const ids = rows.map((r) => r.eventId);
      expect(new Set(ids).size).toBe(ids.length); // each event once, though two workers consume
      expect(ids.length).toBeGreaterThanOrEqual(expected);
    } finally {
      stop.abort();
      expect(await Promise.all(workers)).toEqual(workers.map(() => 0));
      const { db } = (await platform.catalog()) as PostgresCatalog;
      await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await platform.close();
    }
  });
});
