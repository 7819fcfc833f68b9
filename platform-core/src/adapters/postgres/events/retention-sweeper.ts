import type { Logger } from '../../../ports/logger.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import {
  consumedEventsRetention,
  pruneConsumedEvents,
  type ConsumedEventsRetention,
} from './consumed-events-retention.js';
import { eventLogRetention, pruneEventLog, type EventLogMode, type EventLogRetention } from './event-log-retention.js';

/** One pruning job of a sweep (the consumed-event marks, the event log). */
export interface RetentionJob {
  /** What the log lines call it, e.g. "consumed-event marks". */
  readonly name: string;
  prune(signal: AbortSignal): Promise<{ readonly deleted: number; readonly more: boolean }>;
}

/**
 * Runs the retention jobs from a relay loop at most every `sweepEveryMs` (the first sweep at
 * start), one job after the other; never throws (a failed job is logged and retried at the next
 * due time, the other jobs still run).
 */
export class RetentionSweeper {
  #last = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;

  constructor(
    private readonly jobs: readonly RetentionJob[],
    private readonly sweepEveryMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts a sweep in the background when one is due (the relay does not wait for it). */
  poke(signal: AbortSignal): void {
    if (this.#running || this.now() - this.#last < this.sweepEveryMs) return;
    this.#last = this.now();
    this.#running = this.sweep(signal).finally(() => (this.#running = undefined));
  }

  /** One sweep now; resolves when every job is done or failed. */
  async sweep(signal: AbortSignal): Promise<void> {
    for (const job of this.jobs) {
      if (signal.aborted) return;
      try {
        const pruned = await job.prune(signal);
        if (pruned.deleted > 0) this.logger.info(`pruned ${job.name} past retention`, { ...pruned });
      } catch (e) {
        if (!signal.aborted) this.logger.warn(`pruning ${job.name} failed`, { error: (e as Error).message });
      }
    }
  }

  /** Waits for a sweep in flight (on close). */
  async settled(): Promise<void> {
    await this.#running;
  }
}

/** The retention settings a bus takes (`PostgresEventBus`, `KafkaEventBus`, `openEventBus`). */
export interface EventRetentionOptions {
  /** How long `consumed_events` marks are kept (default 7 days). */
  readonly consumedRetention?: Partial<ConsumedEventsRetention>;
  /** How long the outbox keeps rows every reader is done with (default 30 days; docs/adr/0017). */
  readonly logRetention?: Partial<EventLogRetention>;
}

/**
 * The sweeper of a bus's running relay: the consumed-event marks, then the event log (`log` on
 * the PostgreSQL bus, `relay-buffer` on Kafka). Checks the settings at once (a bad one throws
 * InvalidArgument `invalid_event_retention` naming the field).
 */
export function eventRetentionSweeper(
  db: SqlDatabase,
  options: EventRetentionOptions,
  mode: EventLogMode,
  logger: Logger,
): RetentionSweeper {
  const consumed = consumedEventsRetention(options.consumedRetention);
  const log = eventLogRetention(options.logRetention, consumed);
  return new RetentionSweeper(
    [
      { name: 'consumed-event marks', prune: (signal) => pruneConsumedEvents(db, consumed, signal) },
      { name: 'event log rows', prune: (signal) => pruneEventLog(db, log, mode, signal) },
    ],
    consumed.sweepEveryMs,
    logger,
  );
}
