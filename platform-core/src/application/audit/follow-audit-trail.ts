import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { Logger } from '../../ports/logger.js';
import { AuditConsumers } from './audit-consumers.js';

export interface FollowAuditTrailOptions {
  readonly bus: EventBus;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often tenants are re-listed (a new ACTIVE tenant is followed within this time; default 30 s). */
  readonly refreshMs?: number;
}

/**
 * The audit consumer of a long-running process (`hekima worker`): follows every ACTIVE tenant's
 * events into its hash-chained audit trail until `signal` aborts, so the trail fills without anyone
 * running `hekima audit`. Several processes may all run it: each tenant's audit group has one
 * active member at a time (the bus's group lease); the others stand by and take over.
 */
export async function followAuditTrail(o: FollowAuditTrailOptions, signal: AbortSignal): Promise<void> {
  const consumers = new AuditConsumers(o.bus, o.catalog);
  try {
    while (!signal.aborted) {
      await consumers.sync(signal).catch((e: unknown) => {
        if (!signal.aborted) o.logger.warn('audit subscriptions could not be refreshed', { error: String(e) });
      });
      await o.clock.sleep(o.refreshMs ?? 30_000, signal).catch(() => undefined);
    }
  } finally {
    await consumers.close();
  }
}
