import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkspaceTenant } from '../../platform-core/src/application/workspace/workspace-tenant.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import type { OutboxEvent } from '../../platform-core/src/domain/catalog/outbox-event.js';
import type { TenantCatalog } from '../../platform-core/src/ports/catalog.js';
import { diamondWorkspace, setMinRows } from './event-workspace.js';
import { runJson } from './run-support.js';

/**
 * Every event a run publishes carries the real values: each payload is compared with the catalog
 * row it describes (the execution, the snapshot, the deployment, the quality result). The diamond
 * alpha → beta, alpha → gamma, (beta, gamma) → delta runs twice: all pass, then gamma's blocking
 * `enough_rows` check fails (so delta is skipped).
 */
/** Who reads each product of the diamond, nearest first. */
const DOWNSTREAM: Record<string, string[]> = {
  alpha: ['beta', 'gamma', 'delta'],
  beta: ['delta'],
  gamma: ['delta'],
  delta: [],
};

describe('event payloads equal the catalog rows they describe (embedded run)', () => {
  let dir: string;
  let platform: Platform;
  let tenant: TenantCatalog;
  let events: OutboxEvent[];

  const ofType = (type: string) => events.filter((e) => e.eventType === type);
  /** Every row of a paginated list (pages of 100). */
  const all = async <T>(
    list: (page: { limit: number; after?: string }) => Promise<{
      items: readonly T[];
      pageInfo: { hasNext: boolean; nextCursor?: string };
    }>,
  ) => {
    const rows: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await list({ limit: 100, ...(after ? { after } : {}) });
      rows.push(...page.items);
      if (!page.pageInfo.hasNext || !page.pageInfo.nextCursor) return rows;
      after = page.pageInfo.nextCursor;
    }
  };

  beforeAll(async () => {
    dir = await diamondWorkspace({ tenant: 'payloads' });
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: dir }) });
    const first = await runJson(platform, dir);
    expect(first.code, first.err).toBe(0);
    await setMinRows(dir, 10);
    const second = await runJson(platform, dir);
    expect(second.code).toBe(1);
    const catalog = await platform.catalog();
    const tenantId = (await resolveWorkspaceTenant(catalog, 'payloads', { provision: false })).id;
    tenant = catalog.forTenant(tenantId);
    events = (await all((p) => tenant.events.list(p))).sort((a, b) => a.seq - b.seq);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ExecutionCompleted: row_count is the rows of the snapshot the execution committed, duration its wall time', async () => {
    const completed = ofType('ExecutionCompleted');
    expect(completed.length).toBe(4 + 2); // alpha, beta, gamma, delta; then alpha and beta again
    for (const event of completed) {
      const executionId = String(event.payload['execution_id']);
      const execution = (await tenant.executions.get(executionId))!;
      const snapshots = await all((p) => tenant.snapshots.list(p, { productId: execution.productId }));
      const snapshot = snapshots.find((s) => s.executionId === executionId)!;
      expect(snapshot.rowCount).toBe(3);
      expect(event.payload).toMatchObject({
        execution_id: executionId,
        product_id: execution.productId,
        row_count: snapshot.rowCount,
        duration_ms: Date.parse(execution.finishedAt!) - Date.parse(execution.startedAt!),
      });
      expect(event.productId).toBe(execution.productId);
    }
  });

  it('ExecutionStarted: the execution and its window', async () => {
    const started = ofType('ExecutionStarted');
    expect(started.length).toBe(4 + 3); // gamma fails in the second run; delta is never submitted
    for (const event of started) {
      const execution = (await tenant.executions.get(String(event.payload['execution_id'])))!;
      expect(event.payload).toEqual({
        execution_id: execution.id,
        product_id: execution.productId,
        partition_key: execution.windowId ?? '',
      });
    }
  });

  it('ExecutionFailed: the error the execution recorded, its retries', async () => {
    const failed = ofType('ExecutionFailed');
    expect(failed).toHaveLength(1);
    const execution = (await tenant.executions.get(String(failed[0]!.payload['execution_id'])))!;
    expect(execution.state).toBe('failed');
    expect(failed[0]!.payload).toEqual({
      execution_id: execution.id,
      product_id: execution.productId,
      error: { code: execution.error?.code, message: execution.error?.message },
      retry_count: execution.attempt - 1,
    });
    expect(execution.error?.code).toBe('quality_gate_failed');
  });

  it('DataAvailable: the committed snapshot, its rows, version and commit time', async () => {
    const available = ofType('DataAvailable');
    expect(available).toHaveLength(6);
    for (const event of available) {
      const productId = String(event.payload['product_id']);
      const snapshots = await all((p) => tenant.snapshots.list(p, { productId }));
      const snapshot = snapshots.find((s) => s.id === event.payload['snapshot_id'])!;
      const product = (await tenant.products.get(productId))!;
      const version = (await tenant.products.getVersion(snapshot.productVersionId!))!;
      expect(event.payload).toEqual({
        product_id: productId,
        product_name: product.name,
        snapshot_id: snapshot.id,
        freshness: snapshot.committedAt,
        version: version.version,
        row_count: snapshot.rowCount,
        ...(snapshot.windowId ? { window_id: snapshot.windowId } : {}),
      });
    }
  });

  it('ProductDeployed: the deployment, its version and plan hash', async () => {
    const deployed = ofType('ProductDeployed');
    expect(deployed.length).toBe(4 + 1); // gamma's quality.yaml changed its plan
    for (const event of deployed) {
      const productId = String(event.payload['product_id']);
      const product = (await tenant.products.get(productId))!;
      const deployments = await all((p) => tenant.deployments.list(p, { productId }));
      const deployment = deployments.find((d) => d.planHash === event.payload['manifest_hash'])!;
      const version = (await tenant.products.getVersion(deployment.productVersionId))!;
      expect(event.payload).toEqual({
        product_id: productId,
        product_name: product.name,
        version: version.version,
        manifest_hash: deployment.planHash,
      });
    }
  });

  it('QualityCheckCompleted: one per check of a gate that let its snapshot through, as its quality result', async () => {
    const completed = ofType('QualityCheckCompleted');
    expect(completed).toHaveLength(4 + 2);
    for (const event of completed) {
      const executionId = String(event.payload['execution_id']);
      const [result, ...more] = await tenant.qualityResults.ofExecution(executionId);
      expect(more).toEqual([]);
      const product = (await tenant.products.get(result!.productId))!;
      expect(event.payload).toEqual({
        product_id: result!.productId,
        product_name: product.name,
        execution_id: executionId,
        snapshot_id: result!.snapshotId,
        check_name: result!.name,
        check_type: result!.type,
        status: result!.status,
        passed: true,
        severity: result!.severity,
        measured: result!.measured,
        threshold: result!.threshold,
        downstream_affected: DOWNSTREAM[product.name],
      });
      expect(event.correlationId).toBe((await tenant.executions.get(executionId))!.correlationId ?? executionId);
    }
  });

  it('QualityCheckFailed: the blocking check, its measured value and threshold, what it holds back, with the failure', async () => {
    const failed = ofType('QualityCheckFailed');
    expect(failed).toHaveLength(1);
    const executionId = String(failed[0]!.payload['execution_id']);
    const [result] = await tenant.qualityResults.ofExecution(executionId);
    expect(result).toMatchObject({ name: 'enough_rows', status: 'failed', measured: 3 });
    expect(failed[0]!.payload).toEqual({
      product_id: result!.productId,
      product_name: 'gamma',
      execution_id: executionId,
      snapshot_id: result!.snapshotId,
      check_name: 'enough_rows',
      check_type: 'volume',
      status: 'failed',
      severity: 'error',
      error_detail: result!.message,
      measured: 3,
      threshold: result!.threshold,
      downstream_affected: ['delta'],
    });
    // Published with the execution's failure, right before its ExecutionFailed (one transaction).
    const at = events.indexOf(failed[0]!);
    expect(events[at + 1]).toMatchObject({ eventType: 'ExecutionFailed', payload: { execution_id: executionId } });
  });
});
