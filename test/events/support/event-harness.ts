import type { PostgresCatalog } from '../../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import type { BaseSqlDatabase } from '../../../platform-core/src/adapters/postgres/base-sql-database.js';
import type { Tenant } from '../../../platform-core/src/domain/catalog/tenant.js';
import type { RetryPolicy } from '../../../platform-core/src/domain/events/retry-policy.js';
import type { JsonValue } from '../../../platform-core/src/domain/json.js';
import type { EventBus } from '../../../platform-core/src/ports/event-bus.js';

/** A message put on a topic behind the producer's back (what a foreign or broken producer sends). */
export type RawMessage =
  | { readonly kind: 'json'; readonly eventId: string; readonly eventType: string; readonly payload: JsonValue }
  | { readonly kind: 'text'; readonly text: string };

/** What the event-bus contract needs from one adapter. */
export interface EventHarness {
  readonly name: string;
  readonly db: BaseSqlDatabase;
  readonly catalog: PostgresCatalog;
  /** A new bus instance over the same storage (another process, or the same one restarted). */
  newBus(options?: { readonly retry?: Partial<RetryPolicy> }): Promise<EventBus>;
  /** Puts a raw message on a topic of the tenant; `text` only where the transport carries bytes. */
  injectRaw(tenant: Tenant, topic: string, message: RawMessage): Promise<void>;
  /** Why raw (non-JSON) text cannot travel on this transport, if it cannot. */
  readonly rawTextUnsupported?: string;
  cleanup(): Promise<void>;
}

/** Short backoff for tests: 3 attempts, 5–20 ms apart. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, multiplier: 2 };
