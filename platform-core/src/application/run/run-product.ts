import type { DomainEvent } from '../../domain/events/domain-event.js';
import { hasErrorKind, invalidState, isHekimaError, permanent, type HekimaError } from '../../domain/errors.js';
import { formatMs } from '../../domain/execution/execution-retry.js';
import { highestClassification } from '../../domain/quality/quality-events.js';
import { isFailing, type CheckOutcome } from '../../domain/quality/quality-result.js';
import { planClassification, publicOutcome, type ResultClassification } from '../../domain/quality/result-masking.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { ExecutionLease, ExecutionQueue } from '../../ports/execution-queue.js';
import type { ServingStores } from '../../ports/serving-store.js';
import { writeSnapshot } from '../lake/write-snapshot.js';
import { gateSnapshot, type GateSnapshotDeps } from '../quality/gate-snapshot.js';
import { projectSnapshot } from '../serving/project-snapshot.js';
import type { ProductLogic } from '../transform/product-logic.js';
import { runTransform, type TransformDeps } from '../transform/run-transform.js';
import { bindInputs, inputsManifest, type BindDeps } from './bind-inputs.js';
import { restated, workspaceRelative } from '../../domain/ingestion/malformed-source.js';
import { leaseExecution } from './lease-execution.js';
import type { DeployedProduct } from './deploy-plans.js';
import { pinWindow } from './pin-window.js';
import { recordingBus } from './recording-bus.js';
import type { ProductRunReport } from './run-types.js';

export interface RunProductDeps
  extends BindDeps, TransformDeps, Omit<GateSnapshotDeps, 'engine' | 'python' | 'scratch'> {
  readonly bus: EventBus;
  readonly stores: ServingStores;
  /** Executions are submitted here and leased by the run itself (their state transitions are recorded). */
  readonly queue: ExecutionQueue;
  /** Called between writing the snapshot and committing it (tests inject a crash here). */
  readonly beforeCommit?: (product: string) => Promise<void>;
}

/** One leased execution of a deployed product, as `executeProduct` needs it. */
export interface ExecuteProductRequest {
  readonly root: string;
  readonly tenantId: string;
  readonly deployed: DeployedProduct;
  readonly logic: ProductLogic;
  /** Product name → id of the tenant's deployed products (upstream inputs are found by name). */
  readonly productIds: ReadonlyMap<string, string>;
  /** Fires when the caller stops (Ctrl-C, worker stop, lease lost): the lease is left to the caller. */
  readonly signal: AbortSignal;
  /**
   * Offered a failure before the execution is failed: returns why it will be retried (it put the
   * lease back to `ready` for a later attempt), or undefined to fail it. Workers retry per
   * compute.yaml; `hekima run` does not.
   */
  readonly retry?: (error: HekimaError) => Promise<string | undefined>;
  /**
   * Called as soon as the snapshot is committed, with the DataAvailable that went out with it,
   * while retention, serving and the execution's end still run: consumers may start on the data.
   */
  readonly onCommitted?: (event: DomainEvent<'DataAvailable'>) => void;
  /** The products that read this one, transitively (named in the quality events). */
  readonly downstream?: readonly string[];
}

export interface RunProductRequest extends ExecuteProductRequest {
  readonly runId: string;
}

/** What one execution did: its summary line, and the DataAvailable its commit published. */
export interface ProductExecution {
  readonly report: ProductRunReport;
  /** Published in the commit transaction (already committed when this is returned). */
  readonly dataAvailable?: DomainEvent<'DataAvailable'>;
}

/** Error codes meaning the source cannot be reached from here: the product is skipped, not failed. */
const UNREACHABLE = new Set(['secret_env_missing', 'connection_refused', 'connection_unreachable']);

/** Submits a manual execution of one product, leases exactly it and executes it. */
export async function runProduct(deps: RunProductDeps, request: RunProductRequest): Promise<ProductRunReport> {
  const { deployed } = request;
  const lease = await leaseExecution(
    deps.queue,
    request.tenantId,
    {
      productId: deployed.productId,
      productVersionId: deployed.productVersionId,
      deploymentId: deployed.deploymentId,
      trigger: 'manual',
      idempotencyKey: `run:${request.runId}:${deployed.plan.product.name}`,
      reason: 'hekima run',
    },
    request.signal,
  );
  return (await executeProduct(deps, lease, request)).report;
}

/**
 * The product step runner: executes ONE leased execution of a deployed product (`hekima run` and
 * `hekima worker` share it). Binds its inputs (upstream products pinned to the snapshots of the
 * window the correlation chose), runs the transform into a staged snapshot, gates it, commits it
 * with DataAvailable in the same transaction, projects it to the serving stores; every state
 * change is recorded on the lease (running → checking → promoting → succeeded | failed). The
 * whole execution runs under compute.yaml `resources.timeout`: past it the work is cancelled and
 * the execution fails as timed out (its lease cleared). When `request.signal` fires the error is
 * rethrown and the lease left to the caller (cancel it, or release it to another worker).
 */
export async function executeProduct(
  rawDeps: RunProductDeps,
  lease: ExecutionLease,
  request: ExecuteProductRequest,
): Promise<ProductExecution> {
  const started = performance.now();
  const published: DomainEvent<'DataAvailable'>[] = [];
  const deps: RunProductDeps = { ...rawDeps, bus: recordingBus(rawDeps.bus, published) };
  const { deployed, tenantId } = request;
  const { plan } = deployed;
  const name = plan.product.name;
  const timeout = AbortSignal.timeout(plan.resources.timeout_ms);
  const signal = AbortSignal.any([request.signal, timeout]);
  const { execution } = lease;
  const base = {
    product: name,
    executionId: execution.id,
    trigger: execution.trigger,
    ...(execution.windowId ? { windowId: execution.windowId } : {}),
    endpoints: [],
    endpointNotes: [],
  };
  const workDir = await deps.scratch.create(request.root, 'run');
  const marks = [started];
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - marks[marks.length - 1]!);
    marks.push(now);
    return ms;
  };
  let ingesting = true;
  /** Set once a blocked gate failed the execution (with its results, in one transaction). */
  let finished = false;
  /** The gate's outcomes, once it ran. */
  let checks: readonly CheckOutcome[] | undefined;
  try {
    const { inputs, commitStates } = await bindInputs(deps, tenantId, plan, request.productIds, workDir, signal);
    ingesting = false;
    const pinned = await pinWindow(deps, tenantId, execution, plan, inputs, request.productIds, signal);
    const ingestMs = lap();
    let primaryKey: ProductRunReport['primaryKey'];
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
      async (tempPath) => {
        const result = await runTransform(deps, {
          root: request.root,
          logic: request.logic,
          inputs: pinned,
          outputPath: tempPath,
          signal,
        }).catch((e: unknown) =>
          Promise.reject(
            restated(e, (m) => ({
              manifest: inputsManifest(plan.product.folder),
              file: workspaceRelative(request.root, m.file),
            })),
          ),
        );
        primaryKey = result.primaryKey;
        return result;
      },
      signal,
    );
    const transformMs = lap();
    // With checks, `checking` is recorded before the gate runs (it may take a while); without, it
    // is recorded in the commit transaction, with `promoting` (nothing happens in between).
    const checking = plan.quality.length > 0;
    if (checking) await lease.advance('checking', `transform done (${staged.rowCount} rows); quality gate`, signal);
    await deps.beforeCommit?.(name);
    const gated = await gateSnapshot(deps, staged, {
      product: name,
      checks: plan.quality,
      // Stored with the results as they are; every reader is masked per its own clearance.
      classification: planClassification(plan),
      workspaceRoot: request.root,
      uniqueKey: plan.output.columns.filter((c) => c.primary_key).map((c) => c.name),
      signal,
      announce: {
        context: {
          productName: name,
          downstream: request.downstream ?? [],
          classification: highestClassification(plan.product.classification, plan.output.columns),
        },
        ...(execution.correlationId ? { correlationId: execution.correlationId } : {}),
      },
      // The gate's results and QualityCheckFailed events commit with the execution's failure.
      onBlocked: async (error, record, gate) => {
        checks = gate.checks;
        await lease.finish('failed', error.message, error.toJSON(), request.signal, record);
        finished = true;
      },
      afterCommit: () => {
        const event = published.at(-1);
        if (event && request.onCommitted) request.onCommitted(event);
      },
      within: async (tx, snapshot) => {
        // Fenced: work done under a lease that was lost (expired and taken over, cancelled) never
        // commits. The execution moves to `promoting` with the commit: the snapshot is visible.
        const states = checking ? (['promoting'] as const) : (['checking', 'promoting'] as const);
        const reason = `${checking ? 'quality gate passed' : 'no quality checks'}; snapshot committed; serving`;
        if (!(await tx.executions.advanceHeld(execution.id, lease.workerId, states, reason)))
          throw invalidState(
            'lease_lost',
            `${lease.workerId} lost the lease of execution ${execution.id} before its commit (expired and taken over, or cancelled): nothing was committed`,
            { details: { executionId: execution.id } },
          );
        await commitStates(tx, snapshot);
        await deps.bus.publish(tx, {
          eventType: 'DataAvailable',
          product: name,
          productId: deployed.productId,
          payload: {
            product_id: deployed.productId,
            product_name: name,
            snapshot_id: snapshot.id,
            freshness: snapshot.committedAt ?? new Date().toISOString(),
            version: plan.product.version,
            row_count: staged.rowCount,
          },
        });
      },
    });
    const gateMs = lap();
    checks = gated.gate.checks;
    const served = await projectSnapshot(
      { ...deps, stores: deps.stores },
      { tenantId, productId: deployed.productId, plan, snapshotId: gated.snapshot.id },
      signal,
    );
    await lease.finish('succeeded', `${staged.rowCount} rows; snapshot ${gated.snapshot.id}`, undefined, signal);
    const report: ProductRunReport = {
      ...base,
      status: 'succeeded',
      rows: staged.rowCount,
      ...checkCounts(checks, planClassification(plan)),
      snapshotId: gated.snapshot.id,
      endpoints: served.endpoints.filter((e) => e.status === 'served').map((e) => e.endpoint),
      endpointNotes: served.endpoints
        .filter((e) => e.status !== 'served')
        .map((e) => `${e.endpoint} ${e.status}${e.message ? `: ${e.message}` : ''}`),
      ms: Math.round(performance.now() - started),
      steps: { ingest: ingestMs, transform: transformMs, gate: gateMs, serve: lap() },
      ...(primaryKey ? { primaryKey } : {}),
    };
    const dataAvailable = published.at(-1);
    return dataAvailable ? { report, dataAvailable } : { report };
  } catch (e) {
    if (request.signal.aborted) throw e;
    const error = timeout.aborted
      ? permanent(
          'execution_timed_out',
          `${name} ran longer than its compute.yaml resources.timeout (${formatMs(plan.resources.timeout_ms)}) and was cancelled; raise resources.timeout in ${plan.product.folder}/compute.yaml or make the logic cheaper`,
          { cause: e },
        )
      : isHekimaError(e)
        ? e
        : undefined;
    const message = error?.message ?? (e instanceof Error ? e.message : String(e));
    // Only while reading the sources: a catalog or engine error that mentions a connection is not one.
    const unreachable =
      ingesting &&
      error !== undefined &&
      (UNREACHABLE.has(error.code) || (hasErrorKind(error, 'Transient') && isConnector(error)));
    const failure = error ?? permanent('step_crashed', message);
    // A worker retries first (a source down for a moment, a file not there yet); `hekima run` skips.
    const retried = finished ? undefined : await request.retry?.(failure).catch(() => undefined);
    const skipped = !retried && unreachable;
    const reason = skipped
      ? `source cannot be reached here: ${message}`
      : retried
        ? `${message} (${retried})`
        : message;
    if (!retried && !finished)
      await lease.finish('failed', reason, failure.toJSON(), request.signal).catch(() => undefined);
    const report: ProductRunReport = {
      ...base,
      status: skipped ? 'skipped' : 'failed',
      ...checkCounts(checks, planClassification(plan)),
      reason,
      ...(error ? { errorCode: error.code } : {}),
      ms: Math.round(performance.now() - started),
    };
    return { report };
  } finally {
    await deps.scratch.remove(workDir);
  }
}

/**
 * The run's view of a gate: counts over ALL its checks, and each check without sample rows, as a
 * `public` reader sees it (run output lands in terminals, CI logs and agents' context): values of
 * classified data are masked (`publicOutcome`). `hekima executions show` shows them per clearance.
 */
function checkCounts(
  checks: readonly CheckOutcome[] | undefined,
  classification: ResultClassification,
): Pick<ProductRunReport, 'checksPassed' | 'checksFailed' | 'checks'> {
  if (checks === undefined) return { checksPassed: 0, checksFailed: 0 };
  return {
    checksPassed: checks.filter((c) => c.status === 'passed').length,
    checksFailed: checks.filter((c) => isFailing(c)).length,
    checks: checks
      .map((c) => publicOutcome(c, classification))
      .map(({ name, type, severity, status, measured, threshold, message }) => ({
        name,
        type,
        severity,
        status,
        measured,
        threshold,
        message,
      })),
  };
}

/** A transient error raised while reaching a source (ingestion), not while computing. */
function isConnector(e: unknown): boolean {
  const message = e instanceof Error ? e.message : '';
  return /ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|connect/i.test(message);
}
