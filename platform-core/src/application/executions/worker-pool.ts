import { ExecutionWorker, type ExecutionWorkerOptions } from './execution-worker.js';

export interface WorkerPoolOptions extends Omit<ExecutionWorkerOptions, 'id'> {
  /** Workers in the pool (default 2); ids are `<baseId>-<n>`. */
  readonly size?: number;
  readonly baseId: string;
}

/**
 * Several workers in one process sharing one database (embedded mode: PGlite allows one process,
 * so the pool is how executions run in parallel there; server mode may use it too). Each worker
 * registers its own capacity; `capacity` is split evenly between them.
 */
export class WorkerPool {
  readonly workers: readonly ExecutionWorker[];

  constructor(options: WorkerPoolOptions) {
    const size = Math.max(1, options.size ?? 2);
    const capacity = {
      cpuMillis: Math.floor(options.capacity.cpuMillis / size),
      memoryBytes: Math.floor(options.capacity.memoryBytes / size),
    };
    this.workers = Array.from(
      { length: size },
      (_, i) => new ExecutionWorker({ ...options, capacity, id: `${options.baseId}-${i + 1}` }),
    );
  }

  /** Runs every worker until the signal fires (each then drains). */
  async run(signal: AbortSignal): Promise<void> {
    const results = await Promise.allSettled(this.workers.map((w) => w.run(signal)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
