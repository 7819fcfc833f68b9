import { invalidState, isHekimaError } from '../../domain/errors.js';
import { requirementsFromJson, type WorkerCapacity } from '../../domain/execution/resources.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import { beatLease } from './lease-heartbeat.js';
import { runExecution } from './run-execution.js';
import { WorkSignal } from './work-signal.js';
import type { ExecutionWorkerOptions } from './execution-worker-options.js';

export type { ExecutionWorkerOptions } from './execution-worker-options.js';

type Optional = 'onOutcome' | 'handler' | 'runner' | 'executor';

/** Lease expiries an execution survives before it fails instead of resuming (workers and `hekima run`). */
export const DEFAULT_MAX_RESUMES = 5;

interface Running {
  readonly lease: ExecutionLease;
  readonly controller: AbortController;
  done?: Promise<void>;
}

/**
 * A worker: claims ready executions that fit its free capacity (placement policy), runs up to
 * `concurrency` at once, heartbeats their leases, and sweeps expired leases of other workers.
 * `run(signal)` works until the signal fires, then drains (see `drainMs`). `halt()` stops at once
 * without touching the database, as a crash would (tests).
 */
export class ExecutionWorker {
  readonly #o: Required<Omit<ExecutionWorkerOptions, Optional>> & Pick<ExecutionWorkerOptions, Optional>;
  readonly #running = new Map<string, Running>();
  readonly #work = new WorkSignal();
  readonly #halt = new AbortController();
  #stopping = false;

  constructor(options: ExecutionWorkerOptions) {
    const leaseMs = options.leaseMs ?? 30_000;
    this.#o = {
      concurrency: 4,
      heartbeatMs: Math.max(50, Math.floor(leaseMs / 3)),
      pollMs: 1000,
      maintainMs: 2000,
      maxResumes: DEFAULT_MAX_RESUMES,
      drainMs: 30_000,
      ...options,
      leaseMs,
    };
    if (this.#o.concurrency < 1) throw invalidState('invalid_concurrency', 'A worker needs at least one slot.');
    if (!this.#o.executor && !(this.#o.handler && this.#o.runner))
      throw invalidState('worker_without_runtime', 'A worker needs an executor, or a step handler and runner.');
  }

  get id(): string {
    return this.#o.id;
  }

  get runningCount(): number {
    return this.#running.size;
  }

  async run(signal: AbortSignal): Promise<void> {
    const o = this.#o;
    const stop = AbortSignal.any([signal, this.#halt.signal]);
    await o.registry.register(
      {
        id: o.id,
        hostname: o.hostname,
        pid: o.pid,
        capacity: o.capacity,
        concurrency: o.concurrency,
        placement: o.placement.name,
      },
      stop,
    );
    const unwatch = await o.queue.watch(() => this.#work.notify());
    const beats = this.#heartbeats(stop);
    let lastMaintain = 0;
    try {
      while (!stop.aborted) {
        if (Date.now() - lastMaintain >= o.maintainMs) {
          lastMaintain = Date.now();
          await this.#guard('maintenance', () =>
            o.queue.maintain({ maxResumes: o.maxResumes, workerTtlMs: o.leaseMs * 2 }, stop),
          );
        }
        const slots = o.concurrency - this.#running.size;
        if (slots > 0) {
          const leases =
            (await this.#guard('claim', () =>
              o.queue.claim(
                { workerId: o.id, free: this.#free(), slots, placement: o.placement, leaseMs: o.leaseMs },
                stop,
              ),
            )) ?? [];
          for (const lease of leases) this.#start(lease);
          if (leases.length > 0 && leases.length === slots) continue;
        }
        await this.#work.wait(o.pollMs, stop);
      }
    } finally {
      this.#stopping = true;
      await unwatch().catch(() => undefined);
      if (!this.#halt.signal.aborted) await this.#drain();
      await beats;
      if (!this.#halt.signal.aborted) await o.registry.deregister(o.id).catch(() => undefined);
    }
  }

  /** Stops now, as if the process died: no release, no deregistration; leases simply expire. */
  halt(): void {
    this.#halt.abort(invalidState('worker_halted', `worker ${this.#o.id} halted`));
    for (const r of this.#running.values()) r.controller.abort(this.#halt.signal.reason);
  }

  #free(): WorkerCapacity {
    let { cpuMillis, memoryBytes } = this.#o.capacity;
    for (const { lease } of this.#running.values()) {
      const need = requirementsFromJson(lease.execution.requirements);
      cpuMillis -= need.cpuMillis;
      memoryBytes -= need.memoryBytes;
    }
    return { cpuMillis: Math.max(0, cpuMillis), memoryBytes: Math.max(0, memoryBytes) };
  }

  #start(lease: ExecutionLease): void {
    const o = this.#o;
    const entry: Running = { lease, controller: new AbortController() };
    this.#running.set(lease.execution.id, entry);
    const stopping = () => this.#stopping;
    const signal = entry.controller.signal;
    entry.done = (
      o.executor
        ? o.executor(lease, { signal, stopping })
        : runExecution(lease, { handler: o.handler!, runner: o.runner!, logger: o.logger, stopping }, signal)
    )
      .then(
        (outcome) => o.onOutcome?.(lease.execution.id, outcome),
        (e: unknown) => {
          o.logger.error('execution run failed unexpectedly', { executionId: lease.execution.id, error: String(e) });
          o.onOutcome?.(lease.execution.id, 'error');
        },
      )
      .finally(() => {
        this.#running.delete(lease.execution.id);
        this.#work.notify();
      });
  }

  async #heartbeats(stop: AbortSignal): Promise<void> {
    const o = this.#o;
    while (!stop.aborted || (this.#running.size > 0 && !this.#halt.signal.aborted)) {
      // While draining after a stop, keep beating (on the halt signal only) so leases do not expire.
      const wake = stop.aborted ? this.#halt.signal : stop;
      await o.clock.sleep(o.heartbeatMs, wake).catch(() => undefined);
      if (this.#halt.signal.aborted) return;
      if (stop.aborted && this.#running.size === 0) return;
      await Promise.all(
        [...this.#running.values()].map(({ lease, controller }) => beatLease(lease, controller, o.logger)),
      );
      await this.#guard('worker heartbeat', () => o.registry.heartbeat(o.id, this.#running.size));
    }
  }

  async #drain(): Promise<void> {
    const pending = () => [...this.#running.values()].map((r) => r.done);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.#o.drainMs);
    await Promise.race([
      Promise.allSettled(pending()),
      new Promise((r) => deadline.signal.addEventListener('abort', r)),
    ]);
    clearTimeout(timer);
    for (const r of this.#running.values())
      r.controller.abort(invalidState('worker_stopping', 'the worker is stopping'));
    await Promise.allSettled(pending());
  }

  async #guard<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      if (!this.#halt.signal.aborted && !(isHekimaError(e) && e.code === 'aborted'))
        this.#o.logger.warn(`${what} failed`, { workerId: this.#o.id, error: String(e) });
      return undefined;
    }
  }
}
