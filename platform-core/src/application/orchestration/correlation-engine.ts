import type { DomainEvent } from '../../domain/events/domain-event.js';
import { throwIfAborted } from '../../domain/errors.js';
import { semver } from '../../domain/semver.js';
import type { Arrival, Correlation, CorrelationState } from '../../domain/orchestration/correlation.js';
import { buildSubscriptionMap, type SubscriptionMap } from '../../domain/orchestration/subscription-map.js';
import type { Clock } from '../../ports/clock.js';
import type { CorrelationStore } from '../../ports/correlation-store.js';
import type { ExecutionQueue } from '../../ports/execution-queue.js';
import type { Logger } from '../../ports/logger.js';
import { applyDueFallbacks } from './apply-fallbacks.js';
import { withPlanManifests } from './plan-manifests.js';
import { recordEvent } from './record-event.js';
import { triggerRun } from './trigger-run.js';

export interface CorrelationEngineOptions {
  readonly store: CorrelationStore;
  readonly queue: ExecutionQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a tenant's subscription map is reused before it is rebuilt (default 5 s). */
  readonly mapTtlMs?: number;
}

export interface CorrelationOutcome {
  readonly product: string;
  readonly windowId?: string;
  readonly state?: CorrelationState;
  readonly executionId?: string;
  /** Why the event changed nothing for this product (duplicate, late, version mismatch). */
  readonly ignored?: string;
}

/**
 * The correlation engine (manifest-format §15): `data.available` events go in, runs come out.
 * For each product that waits for the event's producer (subscription map), the event is placed
 * in its window; once every required input is there, the run is submitted (idempotency key:
 * product version + window, so a repeated trigger never runs twice). Deadlines are swept by
 * `tick()` on the clock port: at an input's timeout its fallback applies (fail, use_cached, skip).
 * All state is in the store: a restart loses nothing, and several engines may run at once.
 */
export class CorrelationEngine {
  readonly #maps = new Map<string, { at: number; map: Promise<SubscriptionMap> }>();

  constructor(private readonly o: CorrelationEngineOptions) {}

  /** Handles one DataAvailable event, for every subscribed product or only `consumer`. */
  async onDataAvailable(
    event: DomainEvent<'DataAvailable'>,
    options: { readonly consumer?: string; readonly signal?: AbortSignal } = {},
  ): Promise<CorrelationOutcome[]> {
    const { payload } = event;
    const map = await this.subscriptionMap(event.tenantId, options.signal);
    const upstream = payload.product_name ?? map.names.get(payload.product_id);
    if (upstream === undefined) return [];
    const consumers = (map.byUpstream.get(upstream) ?? []).filter(
      (c) => options.consumer === undefined || c.productName === options.consumer,
    );
    const arrival: Arrival = {
      eventId: event.eventId,
      snapshotId: payload.snapshot_id,
      at: event.timestamp,
      ...(payload.window_id ? { windowId: payload.window_id } : {}),
    };
    const outcomes: CorrelationOutcome[] = [];
    for (const consumer of consumers) {
      throwIfAborted(options.signal, 'correlation');
      const input = consumer.inputs.find((i) => i.id === upstream)!;
      if (input.versionRange && payload.version && !semver.satisfies(payload.version, input.versionRange)) {
        outcomes.push({
          product: consumer.productName,
          ignored: `version ${payload.version} does not satisfy ${input.versionRange}`,
        });
        continue;
      }
      const changed = await this.o.store.withProduct(
        event.tenantId,
        consumer.productId,
        (tx) => recordEvent(tx, event, consumer, input, arrival, this.o.clock.now()),
        options.signal,
      );
      if (typeof changed === 'string') {
        outcomes.push({ product: consumer.productName, ignored: changed });
        continue;
      }
      for (const c of changed) outcomes.push(await this.#settle(c, options.signal));
    }
    return outcomes;
  }

  /** Applies due fallbacks and triggers complete correlations left behind (e.g. by a crash). */
  async tick(signal?: AbortSignal): Promise<number> {
    const now = this.o.clock.now();
    let changed = 0;
    for (const key of await this.o.store.due(now, 100, signal)) {
      const c = await this.o.store.withProduct(
        key.tenantId,
        key.productId,
        async (tx) => {
          const current = await tx.get(key.windowId);
          if (!current || current.state !== 'open') return current;
          const next = await applyDueFallbacks(tx, current, now);
          if (next !== current) await tx.save(next);
          return next;
        },
        signal,
      );
      if (c && (c.state === 'complete' || c.state === 'failed') && !c.executionId) {
        await this.#settle(c, signal);
        changed++;
      }
    }
    return changed;
  }

  /** Ticks every `intervalMs` of the clock until the signal fires. */
  async run(signal: AbortSignal, intervalMs = 1000): Promise<void> {
    while (!signal.aborted) {
      await this.tick(signal).catch((e: unknown) => {
        if (!signal.aborted) this.o.logger.warn('correlation deadline sweep failed', { error: String(e) });
      });
      await this.o.clock.sleep(intervalMs, signal).catch(() => undefined);
    }
  }

  /**
   * The tenant's subscription map, rebuilt from the deployed products at most every `mapTtlMs`
   * (products deployed by `hekima run` carry their plan, read through `withPlanManifests`).
   */
  subscriptionMap(tenantId: string, signal?: AbortSignal): Promise<SubscriptionMap> {
    const now = this.o.clock.now().getTime();
    const cached = this.#maps.get(tenantId);
    if (cached && now - cached.at < (this.o.mapTtlMs ?? 5000)) return cached.map;
    const map = this.o.store
      .deployedProducts(tenantId, signal)
      .then((products) => buildSubscriptionMap(products.map(withPlanManifests)));
    this.#maps.set(tenantId, { at: now, map });
    map.catch(() => this.#maps.delete(tenantId));
    return map;
  }

  /** Forgets cached subscription maps (call on ProductDeployed). */
  invalidate(tenantId?: string): void {
    if (tenantId === undefined) this.#maps.clear();
    else this.#maps.delete(tenantId);
  }

  async #settle(c: Correlation, signal?: AbortSignal): Promise<CorrelationOutcome> {
    const base = { product: c.consumer.productName, windowId: c.windowId };
    if ((c.state !== 'complete' && c.state !== 'failed') || c.executionId) return { ...base, state: c.state };
    const execution = await triggerRun(this.o.queue, this.o.store, c, signal);
    this.o.logger.info('correlation triggered a run', { ...base, state: c.state, executionId: execution.id });
    return { ...base, state: c.state === 'failed' ? 'failed' : 'triggered', executionId: execution.id };
  }
}
