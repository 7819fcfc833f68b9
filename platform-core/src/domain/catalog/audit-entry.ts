import type { JsonObject } from '../json.js';

/**
 * One row of a tenant's append-only, hash-chained audit trail. `seq` counts from 1 per tenant;
 * `prevHash` is the previous row's `hash` (64 zeros for seq 1). How `hash` is computed belongs to
 * the audit module; the catalog stores the chain and refuses updates and deletes.
 */
export interface AuditEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly correlationId?: string;
  readonly productId?: string;
  readonly actor?: string;
  readonly payload: JsonObject;
  readonly occurredAt: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly createdAt: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'tenantId' | 'createdAt'>;

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFilter {
  readonly productId?: string;
  readonly eventType?: string;
  /** Inclusive lower bound on occurredAt (ISO 8601). */
  readonly from?: string;
  /** Exclusive upper bound on occurredAt (ISO 8601). */
  readonly to?: string;
}
