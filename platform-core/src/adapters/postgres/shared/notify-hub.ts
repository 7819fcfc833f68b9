import type { PgliteDatabase } from '../pglite-database.js';

type Handler = (payload: string) => void;

/**
 * One PGlite LISTEN per channel, fanned out to every subscriber of the host's process and of its
 * guests. Every process's transactions run on the host's one session, so a NOTIFY from any of
 * them reaches the host's listener at commit.
 */
export class NotifyHub {
  readonly #db: Promise<PgliteDatabase>;
  readonly #channels = new Map<string, { handlers: Set<Handler>; unlisten: Promise<() => Promise<void>> }>();

  constructor(db: Promise<PgliteDatabase>) {
    this.#db = db;
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let entry = this.#channels.get(channel);
    if (!entry) {
      const handlers = new Set<Handler>();
      const unlisten = this.#db.then((db) =>
        db.listen(channel, (payload) => {
          for (const h of handlers) h(payload);
        }),
      );
      entry = { handlers, unlisten };
      this.#channels.set(channel, entry);
      unlisten.catch(() => (this.#channels.get(channel) === entry ? this.#channels.delete(channel) : undefined));
    }
    const current = entry;
    current.handlers.add(handler);
    await current.unlisten;
    return async () => {
      current.handlers.delete(handler);
      if (current.handlers.size > 0 || this.#channels.get(channel) !== current) return;
      this.#channels.delete(channel);
      await (
        await current.unlisten
      )();
    };
  }

  /** Drops every LISTEN (before the database closes). */
  async close(): Promise<void> {
    const entries = [...this.#channels.values()];
    this.#channels.clear();
    for (const entry of entries) await (await entry.unlisten.catch(() => undefined))?.().catch(() => undefined);
  }
}
