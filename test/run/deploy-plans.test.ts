import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform-core/src/adapters/postgres/events/silent-logger.js';
import { generatePlans } from '../../platform-core/src/application/generate/generate-plans.js';
import { leaseExecution } from '../../platform-core/src/application/run/lease-execution.js';
import { productExecutor } from '../../platform-core/src/application/run/product-executor.js';
import { productRuntimeDeps } from '../../platform-core/src/cli/commands/run.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { FIRST, peopleIds, plansWorkspace, queryPeople, writePeople } from './deploy-plans-support.js';
import { runJson } from './run-support.js';

/**
 * Every deployment records the exact plan it deployed (catalog migration 010). On a one-product
 * embedded workspace: `hekima run`, then edits of output.yaml classifications and of the
 * transform under the SAME version, deployed or not, and what `hekima query` and the worker's
 * product executor read afterwards.
 */
describe('deployments keep their own plan (embedded, same version edited)', () => {
  let dir: string;
  let platform: Platform;
  const hashes: string[] = [];
  const deploymentsOf = async () => {
    const { scoped, productId } = await peopleIds(platform);
    return (await scoped.deployments.list({ limit: 100 }, { productId })).items;
  };
  const deployedEvents = async () => {
    const { scoped, productId } = await peopleIds(platform);
    return (await scoped.events.list({ limit: 100 }, { eventType: 'ProductDeployed', productId })).items;
  };
  const activeHash = async () => {
    const { scoped, productId } = await peopleIds(platform);
    return (await scoped.deployments.active(productId))?.planHash;
  };

  beforeAll(async () => {
    dir = await plansWorkspace();
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const first = await runJson(platform, dir);
    expect(first.code, first.err).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hekima run records the plan it deployed; query masks per it', async () => {
    const [deployment, ...older] = await deploymentsOf();
    expect(older).toEqual([]);
    expect(deployment?.planHash).toMatch(/^[0-9a-f]{64}$/);
    hashes.push(deployment!.planHash!);
    const { scoped, productId } = await peopleIds(platform);
    const stored = await scoped.deployments.plan(productId, deployment!.planHash!);
    expect(stored?.plan).toMatchObject({ hash: deployment!.planHash, product: { name: 'people', version: '1.0.0' } });

    const q = await queryPeople(platform, dir);
    expect(q.code, q.err).toBe(0);
    expect(q.json?.masked).toEqual(['email']);
    expect(q.json?.rows).toContainEqual({ id: 1, email: MASKED, city: 'nairobi' });
    expect(q.json?.notes).toBeUndefined();
    expect(q.err).toBe('');
  });

  it('an identical re-run writes no new deployment, event or plan', async () => {
    const again = await runJson(platform, dir);
    expect(again.code, again.err).toBe(0);
    expect(again.summary.redeployed).toBe(0);
    expect(await deploymentsOf()).toHaveLength(1);
    expect(await deployedEvents()).toHaveLength(1);
  });

  it('an edit under the same version is a new deployment of the new plan: run uses it, query masks per it', async () => {
    // email declassified, city classified up, and the transform changed: version stays 1.0.0.
    await writePeople(dir, { email: 'internal', city: 'confidential', cityExpr: 'upper(city)' });
    const r = await runJson(platform, dir);
    expect(r.code, r.err).toBe(0);
    expect(r.summary.redeployed).toBe(1);
    const deployments = await deploymentsOf();
    expect(deployments.map((d) => d.state)).toEqual(['active', 'superseded']);
    expect(deployments[0]?.productVersionId).toBe(deployments[1]?.productVersionId);
    expect(deployments[0]?.planHash).not.toBe(hashes[0]);
    hashes.push(deployments[0]!.planHash!);
    const events = await deployedEvents();
    expect(events).toHaveLength(2);
    expect(events[0]?.payload).toMatchObject({ version: '1.0.0', manifest_hash: hashes[1] });

    const q = await queryPeople(platform, dir);
    expect(q.code, q.err).toBe(0);
    expect(q.json?.masked).toEqual(['city']);
    expect(q.json?.rows).toContainEqual({ id: 1, email: 'amani@example.com', city: MASKED });
    const clear = await queryPeople(platform, dir, '--clearance', 'confidential');
    expect(clear.json?.rows).toContainEqual({ id: 1, email: 'amani@example.com', city: 'NAIROBI' });

    // The event subscriptions (the correlation engine's view of what is deployed) follow it too.
    const { tenantId } = await peopleIds(platform);
    const subscribed = await (await platform.executions()).correlations.deployedProducts(tenantId);
    expect(subscribed.map((p) => [p.productName, (p.manifests['plan'] as { hash?: string })?.hash])).toEqual([
      ['people', hashes[1]],
    ]);
  });

  it('an edit that is not deployed changes nothing: unmasking city in output.yaml does not unmask it', async () => {
    await writePeople(dir, { email: 'internal', city: 'internal', cityExpr: 'lower(city)' });
    const q = await queryPeople(platform, dir);
    expect(q.code, q.err).toBe(0);
    expect(q.json?.masked).toEqual(['city']);
    expect(q.json?.rows).toContainEqual({ id: 2, email: 'neema@example.com', city: MASKED });
    // It says so, on stderr and in the JSON, without refusing.
    expect(q.json?.notes).toEqual([expect.stringContaining('differ from its deployed plan')]);
    expect(q.err).toContain('hekima run --product people');
    expect(await activeHash()).toBe(hashes[1]);
  });

  it("the worker's executor runs the deployed plan, not the edited workspace's", async () => {
    const { catalog, tenantId, scoped, productId } = await peopleIds(platform);
    const clear = async () => (await queryPeople(platform, dir, '--clearance', 'confidential')).json!;
    const before = (await clear()).snapshotId;
    const [active, superseded] = await deploymentsOf();
    if (!active || !superseded) throw new Error('two deployments expected');
    const generated = await generatePlans(platform.validationDeps(dir));
    if (!generated.ok) throw new Error('the edited workspace should validate');
    const workspacePlan = generated.plans.find((p) => p.product === 'people')!.plan;
    expect(workspacePlan.hash).not.toBe(active.planHash);
    const executor = productExecutor({
      ...(await productRuntimeDeps(platform, dir, {}, catalog, await platform.events())),
      connections: generated.index.config.connections,
      correlations: (await platform.executions()).correlations,
      logger: silentLogger,
      root: dir,
      workspacePlans: async () => new Map(generated.plans.map((p) => [p.product, p.plan])),
    });
    const lease = await leaseExecution((await platform.executions()).queue, tenantId, {
      productId,
      productVersionId: active.productVersionId,
      // Queued under the first deployment, picked up after the edit was deployed: the deployed plan runs.
      deploymentId: superseded.id,
      trigger: 'manual',
      idempotencyKey: `deploy-plans-worker-${superseded.id}`,
      reason: 'test worker',
    });
    const outcome = await executor(lease, { signal: new AbortController().signal, stopping: () => false });
    const execution = await scoped.executions.get(lease.execution.id);
    expect(outcome, JSON.stringify(execution?.error)).toBe('succeeded');
    const { rows, snapshotId } = await clear();
    expect(snapshotId).not.toBe(before);
    expect(rows.map((row) => row['city']).sort()).toEqual(['MOMBASA', 'NAIROBI']);
  });

  it('reverting to the first plan deploys it again (its stored plan is reused); query follows', async () => {
    await writePeople(dir, FIRST);
    const r = await runJson(platform, dir);
    expect(r.code, r.err).toBe(0);
    expect(r.summary.redeployed).toBe(1);
    const deployments = await deploymentsOf();
    expect(deployments.map((d) => d.planHash)).toEqual([hashes[0], hashes[1], hashes[0]]);
    expect(await deployedEvents()).toHaveLength(3);
    const q = await queryPeople(platform, dir);
    expect(q.json?.masked).toEqual(['email']);
    expect(q.json?.rows).toContainEqual({ id: 1, email: MASKED, city: 'nairobi' });
    expect(q.json?.notes).toBeUndefined();
  });

  it('a deployment from before plans were recorded is served the old way, then redeployed once with its plan', async () => {
    const { catalog, tenantId, productId, scoped } = await peopleIds(platform);
    const { productVersionId } = (await scoped.deployments.active(productId))!;
    await catalog.transaction(tenantId, (tx) =>
      tx.deployments.create({
        productId,
        productVersionId,
        deployedBy: 'an older hekima',
        reason: `plan ${hashes[0]}`,
      }),
    );
    expect(await activeHash()).toBeUndefined();
    const q = await queryPeople(platform, dir);
    expect(q.json?.masked).toEqual(['email']);
    const r = await runJson(platform, dir);
    expect(r.summary.redeployed).toBe(1);
    expect(await activeHash()).toBe(hashes[0]);
    expect((await runJson(platform, dir)).summary.redeployed).toBe(0);
  });
});
