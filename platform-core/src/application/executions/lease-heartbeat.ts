import { isHekimaError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { ExecutionLease } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';

/**
 * One heartbeat of a lease (a fenced write that extends it). When the claim is no longer this
 * holder's (`lease_lost`: expired and taken over, or cancelled) `holder` is aborted with that error:
 * the work must stop, it can no longer write anything and must not commit. Other failures (the
 * database briefly out of reach) are logged; the next beat tries again.
 */
export async function beatLease(lease: ExecutionLease, holder: AbortController, logger: Logger): Promise<void> {
  try {
    await lease.heartbeat();
  } catch (e) {
    if (isHekimaError(e) && e.code === 'lease_lost') holder.abort(e);
    else logger.warn('heartbeat failed', { executionId: lease.execution.id, error: String(e) });
  }
}

export interface LeaseKeeperOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between beats: well under the lease (a third of it, as workers do). */
  readonly heartbeatMs: number;
}

/**
 * Keeps ONE lease alive while its holder works (`hekima run`, which executes its own executions):
 * a `beatLease` every `heartbeatMs` until `stop()`. Workers beat all their leases in one loop with
 * the same `beatLease`.
 */
export class LeaseKeeper {
  readonly #lease: ExecutionLease;
  readonly #lost = new AbortController();
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;

  constructor(lease: ExecutionLease, options: LeaseKeeperOptions) {
    this.#lease = lease;
    this.#loop = this.#beat(options);
  }

  /** Fires, with the InvalidState `lease_lost` error as its reason, once a beat finds the lease lost. */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /**
   * Checks the claim now (a fenced heartbeat): throws `lease_lost`, and fires `lost`, when it is no
   * longer ours; any other failure is thrown too (unverified means no: callers gate a commit on it).
   */
  async check(signal?: AbortSignal): Promise<void> {
    this.#lost.signal.throwIfAborted();
    try {
      await this.#lease.heartbeat(signal);
    } catch (e) {
      if (isHekimaError(e) && e.code === 'lease_lost') this.#lost.abort(e);
      throw e;
    }
  }

  /** Stops beating (the holder finished, failed or released the lease) and waits for a beat in progress. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #beat(o: LeaseKeeperOptions): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted && !this.#lost.signal.aborted) {
      await o.clock.sleep(o.heartbeatMs, stop).catch(() => undefined);
      if (stop.aborted) return;
      await beatLease(this.#lease, this.#lost, o.logger);
    }
  }
}
