import { invalidState } from '../../domain/errors.js';
import { TERMINAL_EXECUTION_STATES } from '../../domain/catalog/execution.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { SqlDatabase } from '../../ports/sql-database.js';
import type { DeployedProduct } from './deploy-plans.js';
import type { ProductRunReport } from './run-types.js';

/** A product that did not run: because of `upstream`, or (without it) a reason given by the caller. */
export function skippedBecause(product: string, upstream?: ProductRunReport): ProductRunReport {
  return {
    product,
    status: 'skipped',
    checksPassed: 0,
    checksFailed: 0,
    endpoints: [],
    endpointNotes: [],
    ms: 0,
    ...(upstream
      ? {
          reason: `upstream ${upstream.product} ${upstream.status === 'failed' ? 'failed' : 'was skipped'}${
            upstream.reason ? ` (${upstream.reason})` : ''
          }`,
        }
      : {}),
  };
}

/** Why an event-scheduled product was never triggered in this run: what its window still waits for. */
export async function waitingReason(
  store: CorrelationStore,
  tenantId: string,
  deployed: DeployedProduct | undefined,
  windowId: string | undefined,
  signal: AbortSignal,
): Promise<string> {
  if (!deployed || windowId === undefined)
    return 'not triggered: no data.available of its inputs reached the correlation engine in this run';
  const c = await store.withProduct(tenantId, deployed.productId, (tx) => tx.get(windowId), signal);
  const waiting = Object.entries(c?.inputs ?? {})
    .filter(([, s]) => s.status === 'waiting')
    .map(([id]) => id);
  return `not triggered: correlation window ${windowId} still waits for data.available of ${
    waiting.join(', ') || 'its inputs'
  }`;
}

/** Notified (payload `<schema>:<execution id>`) when an execution reaches a terminal state (migration 011). */
export const EXECUTION_FINISHED_CHANNEL = 'execution_finished';

/** How often the state is re-read when no notification came (a lost one, or none on this catalog). */
export const FOREIGN_EXECUTION_FALLBACK_POLL_MS = 5_000;

/**
 * An execution the correlation triggered but another process (a `hekima worker`) leased first:
 * wait for it to finish and report what it did. Woken by the catalog's `execution_finished`
 * notification (LISTEN/NOTIFY on a server, in-process on PGlite); the state is re-read every
 * `fallbackPollMs` (default 5 s) as well, so a lost notification or a catalog without
 * notifications only makes the wait slower.
 */
export async function awaitForeignExecution(
  deps: { readonly catalog: Catalog; readonly clock: Clock },
  tenantId: string,
  product: string,
  executionId: string,
  signal: AbortSignal,
  options: { readonly fallbackPollMs?: number } = {},
): Promise<ProductRunReport> {
  const started = performance.now();
  const executions = deps.catalog.forTenant(tenantId, signal).executions;
  const wake = new Wake();
  // Listen before the first read: a finish committed in between is either read or notified.
  const unlisten = await listenFinished(deps.catalog, executionId, () => wake.ring());
  try {
    for (;;) {
      const execution = await executions.get(executionId);
      if (!execution) throw invalidState('execution_missing', `Execution ${executionId} of ${product} disappeared.`);
      if (TERMINAL_EXECUTION_STATES.includes(execution.state)) {
        const by = execution.leaseOwner ? ` by ${execution.leaseOwner}` : '';
        return {
          ...skippedBecause(product),
          status: execution.state === 'succeeded' ? 'succeeded' : execution.state === 'failed' ? 'failed' : 'skipped',
          executionId,
          trigger: execution.trigger,
          ...(execution.windowId ? { windowId: execution.windowId } : {}),
          reason: `run elsewhere${by}: ${execution.stateReason ?? execution.state}`,
          ms: Math.round(performance.now() - started),
        };
      }
      await wake.wait(deps.clock, options.fallbackPollMs ?? FOREIGN_EXECUTION_FALLBACK_POLL_MS, signal);
    }
  } finally {
    await unlisten?.().catch(() => undefined);
  }
}

/**
 * Subscribes to the finish of one execution through the catalog database's notifications, when
 * the catalog has a SQL database that offers them; undefined otherwise (or when LISTEN fails).
 */
async function listenFinished(
  catalog: Catalog,
  executionId: string,
  onFinished: () => void,
): Promise<(() => Promise<void>) | undefined> {
  const db = (catalog as { readonly db?: Partial<Pick<SqlDatabase, 'listen' | 'schema'>> }).db;
  if (typeof db?.listen !== 'function' || typeof db.schema !== 'string') return undefined;
  const expected = `${db.schema}:${executionId}`;
  try {
    return await db.listen(EXECUTION_FINISHED_CHANNEL, (payload) => (payload === expected ? onFinished() : undefined));
  } catch {
    return undefined; // no notifications: the fallback poll alone
  }
}

/** A wake-up that is not lost when it rings before the wait starts. */
class Wake {
  #rung = false;
  #waiting: AbortController | undefined;

  ring(): void {
    this.#rung = true;
    this.#waiting?.abort();
  }

  /** Resolves on a ring (or one since the last wait) or after `ms`; rejects when `signal` fires. */
  async wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
    if (!this.#rung) {
      const waiting = (this.#waiting = new AbortController());
      try {
        await clock.sleep(ms, AbortSignal.any([signal, waiting.signal]));
      } catch (e) {
        if (signal.aborted || !waiting.signal.aborted) throw e;
      } finally {
        this.#waiting = undefined;
      }
    }
    this.#rung = false;
  }
}

/**
 * The newest event-triggered execution of a product created since `since`: when another process's
 * correlation engine (a worker's sensor) handled this run's event first, the run finds the
 * execution it triggered here instead of running the product a second time.
 */
export async function triggeredSince(
  catalog: Catalog,
  tenantId: string,
  productId: string,
  since: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const page = await catalog.forTenant(tenantId, signal).executions.list({ limit: 100 }, { productId });
  const found = page.items
    .filter((e) => e.trigger === 'event' && e.createdAt >= since)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return found[0]?.id;
}
