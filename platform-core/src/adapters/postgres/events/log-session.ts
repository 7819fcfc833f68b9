import type { Logger } from '../../../ports/logger.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import type { IncomingMessage } from './event-delivery.js';
import { envelopeOfRow } from './log-relay.js';
import { keyId, type GroupOffsets, type LoadedOffsets, type OffsetCommit } from './group-offsets.js';

/** A fetched log row on its way through a handler. */
export interface Pending {
  readonly seq: number;
  readonly eventId: string;
  readonly message: IncomingMessage;
  done: boolean;
}

const RECENT_LIMIT = 100_000;

/**
 * The bookkeeping of one lease: the fetch cursor, what is in flight, and what to commit. The
 * watermark is the position below the oldest unfinished row (or the cursor when none is left);
 * per-key offsets cover rows above it that finished out of order. Commits run one at a time and
 * coalesce; a refused commit (lease lost) ends the session.
 */
export class LogSession {
  cursor: number;
  #committed: number;
  readonly #skip: ReadonlyMap<string, number>;
  #inflight: Pending[] = [];
  #head = 0;
  #dirty = new Map<string, { topic: string; key: string; position: number }>();
  #handled: string[] = [];
  readonly #recent = new Set<string>();
  #committing: Promise<void> = Promise.resolve();
  #active = false;
  #again = false;

  constructor(
    private readonly offsets: GroupOffsets,
    loaded: LoadedOffsets,
    private readonly logger: Logger,
    private readonly onCommitted: () => void,
    private readonly onLost: () => void,
  ) {
    this.cursor = loaded.watermark;
    this.#committed = loaded.watermark;
    this.#skip = loaded.keys;
  }

  /** Registers a fetched row; returns it when the handler must see it, undefined when it is skipped. */
  fetched(row: SqlRow, handledBefore: ReadonlySet<string>): Pending | undefined {
    const seq = Number(row['log_seq']);
    const topic = String(row['topic']);
    const key = String(row['partition_key']);
    const eventId = String(row['event_id']);
    this.cursor = Math.max(this.cursor, seq);
    const pending: Pending = {
      seq,
      eventId,
      done: false,
      message: { raw: envelopeOfRow(row), topic, partitionKey: key, position: String(seq) },
    };
    this.#inflight.push(pending);
    if ((this.#skip.get(keyId(topic, key)) ?? 0) >= seq || handledBefore.has(eventId)) {
      this.done(pending);
      return undefined;
    }
    return pending;
  }

  alreadyHandled(eventId: string): boolean {
    return this.#recent.has(eventId);
  }

  /** Marks a row finished; `handledEventId` when the handler succeeded (recorded for de-duplication). */
  done(pending: Pending, handledEventId?: string): void {
    pending.done = true;
    const { topic, partitionKey } = pending.message;
    const id = keyId(topic, partitionKey);
    const before = this.#dirty.get(id)?.position ?? 0;
    this.#dirty.set(id, { topic, key: partitionKey, position: Math.max(before, pending.seq) });
    if (handledEventId !== undefined) {
      this.#handled.push(handledEventId);
      if (this.#recent.size >= RECENT_LIMIT) this.#recent.delete(this.#recent.values().next().value!);
      this.#recent.add(handledEventId);
    }
    this.requestCommit();
  }

  requestCommit(): void {
    this.#again = true;
    if (this.#active) return;
    this.#active = true;
    this.#committing = this.#commitLoop();
  }

  /** Waits for the commits in progress and commits what is left. */
  async flush(): Promise<void> {
    while (this.#active) await this.#committing;
    await this.#commitOnce().catch((e: unknown) =>
      this.logger.warn('final offset commit failed', { error: (e as Error).message }),
    );
  }

  #watermark(): number {
    while (this.#head < this.#inflight.length && this.#inflight[this.#head]!.done) this.#head += 1;
    if (this.#head > 1024) {
      this.#inflight = this.#inflight.slice(this.#head);
      this.#head = 0;
    }
    const oldest = this.#inflight[this.#head];
    return oldest ? oldest.seq - 1 : this.cursor;
  }

  async #commitLoop(): Promise<void> {
    try {
      while (this.#again) {
        this.#again = false;
        try {
          await this.#commitOnce();
        } catch (e) {
          this.logger.warn('offset commit failed; retrying', { error: (e as Error).message });
          await new Promise((r) => setTimeout(r, 500));
          this.#again = true;
        }
      }
    } finally {
      this.#active = false;
    }
  }

  async #commitOnce(): Promise<void> {
    const watermark = this.#watermark();
    if (watermark === this.#committed && this.#dirty.size === 0 && this.#handled.length === 0) return;
    const commit: OffsetCommit = { watermark, keys: this.#dirty, handled: this.#handled };
    this.#dirty = new Map();
    this.#handled = [];
    let ok: boolean;
    try {
      ok = await this.offsets.commit(commit);
    } catch (e) {
      for (const [id, k] of commit.keys) {
        const now = this.#dirty.get(id);
        if (!now || now.position < k.position) this.#dirty.set(id, k);
      }
      this.#handled.push(...commit.handled);
      throw e;
    }
    if (!ok) {
      this.logger.warn('consumer group lease lost; another member took over');
      this.onLost();
      return;
    }
    this.#committed = watermark;
    this.onCommitted();
  }
}
