import { isHekimaError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events/domain-event.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { Clock } from '../../ports/clock.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import { CorrelationEngine, type CorrelationOutcome } from '../orchestration/correlation-engine.js';
import type { ProductLogic } from '../transform/product-logic.js';
import type { DeployedProduct } from './deploy-plans.js';
import { LeaseKeeper } from '../executions/lease-heartbeat.js';
import { leaseExecution, runLeaseTiming, runWorkerId } from './lease-execution.js';
import { upstreamOf } from './product-order.js';
import { executeProduct, type ProductExecution, type RunProductDeps } from './run-product.js';
import type { ProductRunReport, RunProgress } from './run-types.js';
import { awaitForeignExecution, skippedBecause, triggeredSince, waitingReason } from './run-outcomes.js';

export interface DriveRunDeps extends RunProductDeps {
  readonly correlations: CorrelationStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The lease of each execution the run holds (HEKIMA_RUN_LEASE; default `RUN_LEASE_MS`), heartbeated every third. */
  readonly runLeaseMs?: number;
}

export interface DriveRunRequest {
  readonly root: string;
  readonly runId: string;
  readonly tenantId: string;
  /** The selection in dependency order (ties by name): what runs, and the order of manual submits. */
  readonly selection: readonly HashedPlan[];
  readonly deployed: ReadonlyMap<string, DeployedProduct>;
  readonly logics: ReadonlyMap<string, ProductLogic>;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly signal: AbortSignal;
}

/** An execution the run's events triggered for a product outside the selection: left ready for workers. */
export interface TriggeredElsewhere {
  readonly product: string;
  readonly executionId: string;
  readonly windowId?: string;
}

export interface DriveRunResult {
  /** In the order they finished. */
  readonly products: ProductRunReport[];
  readonly leftForWorkers: TriggeredElsewhere[];
}

interface Runnable {
  readonly name: string;
  readonly executionId?: string;
}

/**
 * Runs a selection of deployed products driven by `data.available` (issue 5): products no
 * correlation waits for in this selection (sources, and `cron`/`manual` products once their
 * upstreams succeeded) are submitted as manual executions; every commit's DataAvailable goes
 * through the correlation engine, which submits the executions of event-scheduled consumers when
 * their windows are complete (every consumer gets the event, as from a worker's sensors; those
 * outside the selection are left ready for workers). The run leases and executes the selection's
 * executions one at a time until nothing is pending. A product whose upstream failed or was
 * skipped is skipped with the reason; one whose window is already closed (a `same_day` window
 * that ran earlier today) runs as a manual execution with that reason, so a re-run always
 * recomputes what it selected.
 */
export async function driveRun(deps: DriveRunDeps, request: DriveRunRequest): Promise<DriveRunResult> {
  const { signal, tenantId } = request;
  const engine = new CorrelationEngine({
    store: deps.correlations,
    queue: deps.queue,
    clock: deps.clock,
    logger: deps.logger,
  });
  engine.invalidate(tenantId);
  const map = await engine.subscriptionMap(tenantId, signal);
  const byName = new Map(request.selection.map((p) => [p.product.name, p]));
  const eventDriven = new Set(map.consumers.map((c) => c.productName).filter((n) => byName.has(n)));
  const productIds = new Map([...request.deployed].map(([name, d]) => [name, d.productId]));
  const reports = new Map<string, ProductRunReport>();
  const queued = new Set<string>();
  const runnable: Runnable[] = [];
  /** Why the correlation ignored an event for a selected product (its window already ran). */
  const closed = new Map<string, string>();
  const windows = new Map<string, string>();
  const left: TriggeredElsewhere[] = [];
  /** Selected products whose event another process's correlation engine handled first. */
  const elsewhere = new Set<string>();
  const since = new Date(Date.now() - 1000).toISOString();
  const total = request.selection.length;
  const upstreams = (plan: HashedPlan) => upstreamOf(plan).filter((u) => byName.has(u));
  const blockedBy = (plan: HashedPlan) =>
    upstreams(plan)
      .map((u) => reports.get(u))
      .find((r) => r !== undefined && r.status !== 'succeeded');
  const settle = (report: ProductRunReport) => {
    reports.set(report.product, report);
    request.onProgress?.({ type: 'done', report, index: reports.size - 1, total });
  };
  const start = (name: string) => request.onProgress?.({ type: 'start', product: name, index: reports.size, total });

  /** Every consumer gets the event, as a worker's sensors would give it (same event id: handled once). */
  const feed = async (event: DomainEvent<'DataAvailable'>) => {
    for (const o of await engine.onDataAvailable(event, { signal })) note(o);
  };
  const note = (o: CorrelationOutcome) => {
    if (!byName.has(o.product)) {
      if (o.executionId && o.state === 'triggered')
        left.push({ product: o.product, executionId: o.executionId, ...(o.windowId ? { windowId: o.windowId } : {}) });
      return;
    }
    if (reports.has(o.product) || queued.has(o.product)) return;
    if (o.windowId) windows.set(o.product, o.windowId);
    if (o.ignored === 'duplicate event') elsewhere.add(o.product);
    else if (o.ignored) closed.set(o.product, o.ignored);
    else if (o.executionId && (o.state === 'triggered' || o.state === 'failed')) {
      queued.add(o.product);
      runnable.push({ name: o.product, executionId: o.executionId });
    }
  };

  const adoptElsewhere = async () => {
    for (const name of elsewhere) {
      elsewhere.delete(name);
      if (reports.has(name) || queued.has(name)) continue;
      const productId = request.deployed.get(name)?.productId;
      const id = productId && (await triggeredSince(deps.catalog, tenantId, productId, since, signal));
      if (!id) continue;
      queued.add(name);
      runnable.push({ name, executionId: id });
    }
  };

  /**
   * The first runnable execution whose selected upstreams all finished in this run: a window
   * completed early (by an input that published in an earlier run) waits for its upstream queued
   * here, so it reads that upstream's new data.
   */
  const takeNext = (): Runnable | undefined => {
    const settled = (r: Runnable) => upstreams(byName.get(r.name)!).every((u) => reports.has(u));
    const index = runnable.findIndex(settled);
    return runnable.splice(index < 0 ? 0 : index, 1)[0];
  };

  for (;;) {
    signal.throwIfAborted();
    for (const plan of request.selection) {
      const name = plan.product.name;
      if (reports.has(name) || queued.has(name)) continue;
      const blocked = blockedBy(plan);
      if (blocked) {
        start(name);
        settle(skippedBecause(name, blocked));
        continue;
      }
      const ready = upstreams(plan).every((u) => reports.get(u)?.status === 'succeeded');
      if (ready && (!eventDriven.has(name) || closed.has(name))) {
        queued.add(name);
        runnable.push({ name });
      }
    }
    if (runnable.length === 0) await adoptElsewhere();
    const next = takeNext();
    if (!next) break;
    start(next.name);
    const blocked = blockedBy(byName.get(next.name)!);
    if (blocked) {
      // Triggered by a window an earlier run half-filled, but an upstream failed here: not run.
      const skipped = skippedBecause(next.name, blocked);
      if (next.executionId)
        await deps.queue.cancel(tenantId, next.executionId, skipped.reason!, signal).catch(() => undefined);
      settle(skipped);
      continue;
    }
    const done = await runOne(deps, request, next, productIds, closed.get(next.name));
    settle(done.report);
    if (done.dataAvailable) await feed(done.dataAvailable);
  }
  for (const plan of request.selection) {
    const name = plan.product.name;
    if (reports.has(name)) continue;
    start(name);
    settle({
      ...skippedBecause(name),
      reason: await waitingReason(deps.correlations, tenantId, request.deployed.get(name), windows.get(name), signal),
    });
  }
  return { products: [...reports.values()], leftForWorkers: left };
}

/**
 * Leases one execution (a triggered one by id, or a new manual one) and executes it under a short
 * lease kept by a heartbeat (`LeaseKeeper`, as workers keep theirs): a run that dies stops
 * heartbeating, and its execution's lease expires within `leaseMs`. A lost lease (expired and
 * taken over, or cancelled) aborts the product: the heartbeat aborts its signal, and the commit
 * transaction checks the lease under a row lock, so a run that lost its execution never commits. The
 * product is then reported failed (`lease_lost`) and the execution left to whoever holds it now.
 */
async function runOne(
  deps: DriveRunDeps,
  request: DriveRunRequest,
  next: Runnable,
  productIds: ReadonlyMap<string, string>,
  closedReason: string | undefined,
): Promise<ProductExecution> {
  const { tenantId, signal } = request;
  const deployed = request.deployed.get(next.name)!;
  const { leaseMs, heartbeatMs } = runLeaseTiming(deps.runLeaseMs);
  let lease: ExecutionLease | undefined;
  if (next.executionId === undefined) {
    lease = await leaseExecution(
      deps.queue,
      tenantId,
      {
        productId: deployed.productId,
        productVersionId: deployed.productVersionId,
        deploymentId: deployed.deploymentId,
        trigger: 'manual',
        idempotencyKey: `run:${request.runId}:${next.name}`,
        reason: closedReason
          ? `hekima run (the correlation ignored its input: ${closedReason}; run again on the new data)`
          : 'hekima run',
      },
      signal,
      leaseMs,
    );
  } else {
    lease = await deps.queue.claimById(tenantId, next.executionId, { workerId: runWorkerId(), leaseMs }, signal);
    if (!lease) return { report: await awaitForeignExecution(deps, tenantId, next.name, next.executionId, signal) };
  }
  const keeper = new LeaseKeeper(lease, { clock: deps.clock, logger: deps.logger, heartbeatMs });
  const started = performance.now();
  try {
    // Every lease write is fenced, and the commit transaction checks the lease (executeProduct).
    return await executeProduct(deps, lease, {
      root: request.root,
      tenantId,
      deployed,
      logic: request.logics.get(next.name)!,
      productIds,
      signal: AbortSignal.any([signal, keeper.lost]),
    });
  } catch (e) {
    if (signal.aborted) {
      // Interrupted (Ctrl-C): the execution is cancelled; the commit, if it happened, was whole.
      await deps.queue
        .cancel(tenantId, lease.execution.id, 'hekima run was interrupted (SIGINT/SIGTERM)')
        .catch((error: unknown) => {
          if (!isHekimaError(error) || error.code !== 'execution_finished')
            deps.logger.warn('could not cancel the interrupted execution', {
              executionId: lease?.execution.id,
              error: String(error),
            });
        });
    } else if (keeper.lost.aborted) {
      return { report: leaseLost(next.name, lease, keeper.lost.reason, performance.now() - started) };
    }
    throw e;
  } finally {
    await keeper.stop();
  }
}

/** A product aborted because its execution's lease was lost: nothing was committed by this run. */
function leaseLost(product: string, lease: ExecutionLease, cause: unknown, ms: number): ProductRunReport {
  const { execution } = lease;
  return {
    product,
    status: 'failed',
    executionId: execution.id,
    trigger: execution.trigger,
    ...(execution.windowId ? { windowId: execution.windowId } : {}),
    checksPassed: 0,
    checksFailed: 0,
    endpoints: [],
    endpointNotes: [],
    reason:
      `hekima run lost the lease of execution ${execution.id} (${cause instanceof Error ? cause.message : String(cause)}): ` +
      'the product was aborted and nothing was committed; run it again',
    errorCode: 'lease_lost',
    ms: Math.round(ms),
  };
}
