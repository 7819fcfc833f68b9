import { downstreamOf } from '../../domain/quality/quality-events.js';
import { graphOfPlans } from './product-graph.js';
import { cancelled, invalidArgument, isHekimaError, type HekimaError } from '../../domain/errors.js';
import { fits, subtract, type ResourceRequirements, type WorkerCapacity } from '../../domain/execution/resources.js';
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
  /** Products run at once, at most (default 1: one after another). */
  readonly concurrency?: number;
  /**
   * What the products in flight may ask for together (compute.yaml `resources`); one product
   * always runs, even when it alone asks for more. Default: no limit but `concurrency`.
   */
  readonly capacity?: WorkerCapacity;
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
 * executions until nothing is pending: up to `concurrency` at once, while their compute.yaml
 * resources fit `capacity` (one always runs, whatever it asks). A product whose upstream failed or
 * was skipped is skipped with the reason; one whose window is already closed (a `same_day` window
 * that ran earlier today) runs as a manual execution with that reason, so a re-run always
 * recomputes what it selected. An abort, or an exception from one product, stops every product in
 * flight (their executions cancelled) and starts no other; the run then rejects.
 */
export async function driveRun(deps: DriveRunDeps, request: DriveRunRequest): Promise<DriveRunResult> {
  const { signal, tenantId } = request;
  const concurrency = request.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw invalidArgument('invalid_concurrency', `hekima run needs a concurrency of at least 1 (got ${concurrency}).`);
  const capacity = request.capacity ?? UNLIMITED;
  // Stops the products in flight when one of them throws (an abort of `signal` stops them too).
  const stop = new AbortController();
  const running = AbortSignal.any([signal, stop.signal]);
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
  const inFlight = new Map<string, InFlight>();
  /** Products whose snapshot this run committed, while they may still be serving. */
  const committed = new Set<string>();
  /** DataAvailable events already handed to the correlation engine (by event id). */
  const fed = new Set<string>();
  /** Commits announced by products in flight, not yet fed; `wake` ends the main loop's wait. */
  const commits: { readonly name: string; readonly event: DomainEvent<'DataAvailable'> }[] = [];
  let wake: () => void = () => undefined;
  /** Why the correlation ignored an event for a selected product (its window already ran). */
  const closed = new Map<string, string>();
  const windows = new Map<string, string>();
  const left: TriggeredElsewhere[] = [];
  /** Selected products whose event another process's correlation engine handled first. */
  const elsewhere = new Set<string>();
  const since = new Date(Date.now() - 1000).toISOString();
  const total = request.selection.length;
  let started = 0;
  const upstreams = (plan: HashedPlan) => upstreamOf(plan).filter((u) => byName.has(u));
  const blockedBy = (plan: HashedPlan) =>
    upstreams(plan)
      .map((u) => reports.get(u))
      .find((r) => r !== undefined && r.status !== 'succeeded');
  const settle = (report: ProductRunReport) => {
    reports.set(report.product, report);
    request.onProgress?.({ type: 'done', report, index: reports.size - 1, total, running: inFlight.size });
  };
  const start = (name: string) =>
    request.onProgress?.({ type: 'start', product: name, index: started++, total, running: inFlight.size + 1 });

  /** Every consumer gets the event, as a worker's sensors would give it (same event id: handled once). */
  const feed = async (event: DomainEvent<'DataAvailable'>) => {
    if (fed.has(event.eventId)) return;
    fed.add(event.eventId);
    for (const o of await engine.onDataAvailable(event, { signal: running })) note(o);
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
      const id = productId && (await triggeredSince(deps.catalog, tenantId, productId, since, running));
      if (!id) continue;
      queued.add(name);
      runnable.push({ name, executionId: id });
    }
  };

  /**
   * The first runnable execution whose selected upstreams all finished in this run and whose
   * resources fit what the products in flight leave free: a window completed early (by an input
   * that published in an earlier run) waits for its upstream queued here, so it reads that
   * upstream's new data. With nothing in flight, the first settled one whatever it asks (else the
   * first one).
   */
  const takeNext = (): Runnable | undefined => {
    if (inFlight.size >= concurrency) return undefined;
    const free = [...inFlight.values()].reduce((f, p) => subtract(f, p.need), capacity);
    const settled = (r: Runnable) => upstreams(byName.get(r.name)!).every((u) => reports.has(u) || committed.has(u));
    const startable = (r: Runnable) => settled(r) && (inFlight.size === 0 || fits(needOf(byName.get(r.name)!), free));
    const index = runnable.findIndex(startable);
    if (index < 0 && inFlight.size > 0) return undefined;
    return runnable.splice(index < 0 ? 0 : index, 1)[0];
  };

  const launch = (next: Runnable) => {
    running.throwIfAborted(); // no product starts after an abort
    const onCommitted = (event: DomainEvent<'DataAvailable'>) => {
      commits.push({ name: next.name, event });
      wake();
    };
    const done = runOne(
      deps,
      { ...request, signal: running },
      next,
      productIds,
      closed.get(next.name),
      onCommitted,
    ).then(
      (execution): Finished => ({ name: next.name, execution }),
      (error: unknown): Finished => ({ name: next.name, error }),
    );
    inFlight.set(next.name, { need: needOf(byName.get(next.name)!), done });
  };

  try {
    for (;;) {
      running.throwIfAborted();
      for (const plan of request.selection) {
        const name = plan.product.name;
        if (reports.has(name) || queued.has(name)) continue;
        const blocked = blockedBy(plan);
        if (blocked) {
          start(name);
          settle(skippedBecause(name, blocked));
          continue;
        }
        const ready = upstreams(plan).every(
          (u) => reports.get(u)?.status === 'succeeded' || (committed.has(u) && !reports.has(u)),
        );
        if (ready && (!eventDriven.has(name) || closed.has(name))) {
          queued.add(name);
          runnable.push({ name });
        }
      }
      if (runnable.length === 0) await adoptElsewhere();
      const next = takeNext();
      if (next) {
        start(next.name);
        const blocked = blockedBy(byName.get(next.name)!);
        if (blocked) {
          // Triggered by a window an earlier run half-filled, but an upstream failed here: not run.
          const skipped = skippedBecause(next.name, blocked);
          if (next.executionId)
            await deps.queue.cancel(tenantId, next.executionId, skipped.reason!, running).catch(() => undefined);
          settle(skipped);
          continue;
        }
        launch(next);
        continue; // start more while slots and capacity allow
      }
      if (inFlight.size === 0) break;
      if (commits.length > 0) {
        // A product committed and is now serving: its consumers may start on the data, and what
        // it still does needs none of the capacity it asked for.
        const { name, event } = commits.shift()!;
        committed.add(name);
        const flight = inFlight.get(name);
        if (flight) flight.need = SERVING;
        await feed(event);
        continue;
      }
      const woken = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
      const finished = await Promise.race([...[...inFlight.values()].map((p) => p.done), woken]);
      wake = () => undefined;
      if (finished === undefined) continue;
      inFlight.delete(finished.name);
      if (!finished.execution) throw finished.error;
      settle(finished.execution.report);
      if (finished.execution.dataAvailable) await feed(finished.execution.dataAvailable);
    }
  } catch (e) {
    // Nothing is left running unattended: the others are stopped (executions cancelled) and awaited.
    if (inFlight.size > 0) {
      if (!signal.aborted) stop.abort(runStopped(e));
      await Promise.all([...inFlight.values()].map((p) => p.done));
    }
    throw e;
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

interface InFlight {
  need: ResourceRequirements;
  /** Never rejects: an exception is returned as `error`. */
  readonly done: Promise<Finished>;
}

type Finished =
  | { readonly name: string; readonly execution: ProductExecution; readonly error?: undefined }
  | { readonly name: string; readonly execution?: undefined; readonly error: unknown };

/** What a product that committed still needs while it serves and finishes: nothing worth counting. */
const SERVING: ResourceRequirements = { cpuMillis: 0, memoryBytes: 0 };

/** No capacity limit: only `concurrency` bounds the run. */
const UNLIMITED: WorkerCapacity = { cpuMillis: Infinity, memoryBytes: Infinity };

/** What a product's compute.yaml `resources` ask for (its plan; defaults 500m and 1Gi). */
function needOf(plan: HashedPlan): ResourceRequirements {
  return { cpuMillis: plan.resources.cpu_millis, memoryBytes: plan.resources.memory_bytes };
}

/** Why the products in flight are stopped when another one threw. */
function runStopped(cause: unknown): HekimaError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return cancelled('run_stopped', `hekima run stopped after an error elsewhere in the run (${message})`, { cause });
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
  onCommitted?: (event: DomainEvent<'DataAvailable'>) => void,
): Promise<ProductExecution> {
  const { tenantId, signal } = request;
  const deployed = request.deployed.get(next.name)!;
  const { leaseMs, heartbeatMs } = runLeaseTiming(deps.runLeaseMs);
  let lease: ExecutionLease | undefined;
  if (next.executionId === undefined) {
    // Created already leased to this run: a worker sharing the catalog cannot take it first.
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
      downstream: downstreamOf(next.name, graphOfPlans([...request.deployed.values()].map((d) => d.plan))),
      ...(onCommitted ? { onCommitted } : {}),
    });
  } catch (e) {
    if (signal.aborted) {
      // Interrupted (Ctrl-C, or another product threw): the execution is cancelled; the commit,
      // if it happened, was whole.
      const why = isHekimaError(signal.reason) && signal.reason.code === 'run_stopped' ? signal.reason.message : '';
      await deps.queue
        .cancel(tenantId, lease.execution.id, why || 'hekima run was interrupted (SIGINT/SIGTERM)')
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
