import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrorKind, isHekimaError, permanent } from '../../domain/errors.js';
import { isFailing } from '../../domain/quality/quality-result.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { ExecutionQueue } from '../../ports/execution-queue.js';
import type { ServingStores } from '../../ports/serving-store.js';
import { writeSnapshot } from '../lake/write-snapshot.js';
import { gateSnapshot, type GateSnapshotDeps } from '../quality/gate-snapshot.js';
import { projectSnapshot } from '../serving/project-snapshot.js';
import type { ProductLogic } from '../transform/product-logic.js';
import { runTransform, type TransformDeps } from '../transform/run-transform.js';
import { bindInputs, type BindDeps } from './bind-inputs.js';
import { leaseExecution } from './lease-execution.js';
import type { DeployedProduct } from './deploy-plans.js';
import type { ProductRunReport } from './run-types.js';

export interface RunProductDeps extends BindDeps, TransformDeps, Omit<GateSnapshotDeps, 'engine' | 'python'> {
  readonly bus: EventBus;
  readonly stores: ServingStores;
  /** Executions are submitted here and leased by the run itself (their state transitions are recorded). */
  readonly queue: ExecutionQueue;
  /** Called between writing the snapshot and committing it (tests inject a crash here). */
  readonly beforeCommit?: (product: string) => Promise<void>;
}

export interface RunProductRequest {
  readonly root: string;
  readonly runId: string;
  readonly tenantId: string;
  readonly deployed: DeployedProduct;
  readonly logic: ProductLogic;
  readonly productIds: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
}

/** Error codes meaning the source cannot be reached from here: the product is skipped, not failed. */
const UNREACHABLE = new Set(['secret_env_missing', 'connection_refused', 'connection_unreachable']);

/**
 * Runs one deployed product: binds its inputs, runs the transform into a staged snapshot, gates
 * it, commits it with DataAvailable in the same transaction, projects it to the serving stores.
 */
export async function runProduct(deps: RunProductDeps, request: RunProductRequest): Promise<ProductRunReport> {
  const started = performance.now();
  const { deployed, tenantId, signal } = request;
  const { plan } = deployed;
  const name = plan.product.name;
  const lease = await leaseExecution(
    deps.queue,
    tenantId,
    {
      productId: deployed.productId,
      productVersionId: deployed.productVersionId,
      deploymentId: deployed.deploymentId,
      trigger: 'manual',
      idempotencyKey: `run:${request.runId}:${name}`,
      reason: 'hekima run',
    },
    signal,
  );
  const { execution } = lease;
  const base = { product: name, executionId: execution.id, endpoints: [], endpointNotes: [] };
  const workDir = await mkdtemp(join(tmpdir(), 'hekima-run-'));
  let checksPassed = 0;
  let checksFailed = 0;
  try {
    const inputs = await bindInputs(deps, tenantId, plan, request.productIds, workDir, signal);
    const staged = await writeSnapshot(
      deps,
      {
        tenantId,
        productId: deployed.productId,
        productVersionId: deployed.productVersionId,
        executionId: execution.id,
        product: name,
        version: plan.product.version,
      },
      (tempPath) =>
        runTransform(deps, { root: request.root, logic: request.logic, inputs, outputPath: tempPath, signal }),
      signal,
    );
    await lease.advance('checking', `transform done (${staged.rowCount} rows); quality gate`, signal);
    await deps.beforeCommit?.(name);
    const gated = await gateSnapshot(deps, staged, {
      product: name,
      checks: plan.quality,
      ...(plan.product.classification ? { productClassification: plan.product.classification } : {}),
      clearance: plan.product.classification ?? 'internal',
      workspaceRoot: request.root,
      signal,
      within: async (tx, snapshot) => {
        await deps.bus.publish(tx, {
          eventType: 'DataAvailable',
          product: name,
          productId: deployed.productId,
          payload: {
            product_id: deployed.productId,
            product_name: name,
            snapshot_id: snapshot.id,
            freshness: new Date().toISOString(),
            version: plan.product.version,
            row_count: staged.rowCount,
          },
        });
      },
    });
    await lease.advance('promoting', 'quality gate passed; snapshot committed; serving', signal);
    checksPassed = gated.gate.checks.filter((c) => c.status === 'passed').length;
    checksFailed = gated.gate.checks.filter((c) => isFailing(c)).length;
    const served = await projectSnapshot(
      { ...deps, stores: deps.stores },
      { tenantId, productId: deployed.productId, plan, snapshotId: gated.snapshot.id },
      signal,
    );
    await lease.finish('succeeded', `${staged.rowCount} rows; snapshot ${gated.snapshot.id}`, undefined, signal);
    return {
      ...base,
      status: 'succeeded',
      rows: staged.rowCount,
      checksPassed,
      checksFailed,
      snapshotId: gated.snapshot.id,
      endpoints: served.endpoints.filter((e) => e.status === 'served').map((e) => e.endpoint),
      endpointNotes: served.endpoints
        .filter((e) => e.status !== 'served')
        .map((e) => `${e.endpoint} ${e.status}${e.message ? `: ${e.message}` : ''}`),
      ms: Math.round(performance.now() - started),
    };
  } catch (e) {
    if (signal.aborted) throw e;
    const error = isHekimaError(e) ? e : undefined;
    const message = e instanceof Error ? e.message : String(e);
    const skipped =
      error !== undefined && (UNREACHABLE.has(error.code) || (hasErrorKind(e, 'Transient') && isConnector(e)));
    const failures = (error?.details as { failures?: unknown } | undefined)?.failures;
    if (hasErrorKind(e, 'QualityGateFailed') && Array.isArray(failures)) checksFailed = failures.length;
    const reason = skipped ? `source cannot be reached here: ${message}` : message;
    await lease
      .finish('failed', reason, (error ?? permanent('step_crashed', message)).toJSON(), signal)
      .catch(() => undefined);
    return {
      ...base,
      status: skipped ? 'skipped' : 'failed',
      checksPassed,
      checksFailed,
      reason,
      ...(error ? { errorCode: error.code } : {}),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A transient error raised while reaching a source (ingestion), not while computing. */
function isConnector(e: unknown): boolean {
  const message = e instanceof Error ? e.message : '';
  return /ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|connect/i.test(message);
}
