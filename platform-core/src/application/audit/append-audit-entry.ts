import { GENESIS_HASH, type AuditEntry } from '../../domain/catalog/audit-entry.js';
import { auditHash } from '../../domain/audit/audit-chain.js';
import { hasErrorKind, transient } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events/domain-event.js';
import type { JsonObject } from '../../domain/json.js';
import { isUuid } from '../../domain/pagination.js';
import type { Catalog } from '../../ports/catalog.js';
import { sha256 } from './sha256.js';

export interface AuditContext {
  /** The product the event travelled under (its partition key), when it names one. */
  readonly productName?: string;
  readonly actor?: string;
}

/** One entry to append: an event from the bus, or a record the platform writes directly. */
export interface AuditRecord {
  readonly eventId: string;
  readonly eventType: string;
  readonly correlationId: string;
  /** ISO 8601 instant. */
  readonly occurredAt: string;
  readonly payload: JsonObject;
}

/**
 * Appends one event to its tenant's hash chain: reads the head, links to it, hashes, inserts — in
 * one transaction. Idempotent by event id (a redelivered event is not appended twice). Another
 * writer taking the same seq is a retryable Transient `audit_chain_contended`.
 */
export async function appendAuditEntry(
  catalog: Catalog,
  event: DomainEvent,
  context: AuditContext = {},
  signal?: AbortSignal,
): Promise<AuditEntry | undefined> {
  return appendAuditRecord(
    catalog,
    event.tenantId,
    {
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.correlationId,
      occurredAt: new Date(event.timestamp).toISOString(),
      payload: event.payload as JsonObject,
    },
    context,
    signal,
  );
}

/** {@link appendAuditEntry} for any record (e.g. `DataAccessed`, written by the read path itself). */
export async function appendAuditRecord(
  catalog: Catalog,
  tenantId: string,
  record: AuditRecord,
  context: AuditContext = {},
  signal?: AbortSignal,
): Promise<AuditEntry | undefined> {
  try {
    return await catalog.transaction(
      tenantId,
      async (tx) => {
        const payload = record.payload;
        const named = payload['product_id'];
        let productId = typeof named === 'string' && isUuid(named) ? named : undefined;
        if (productId === undefined && context.productName !== undefined) {
          productId = (await tx.products.getByName(context.productName))?.id;
        }
        const head = await tx.audit.head();
        const entry = {
          seq: (head?.seq ?? 0) + 1,
          eventId: record.eventId,
          eventType: record.eventType,
          correlationId: record.correlationId,
          ...(productId === undefined ? {} : { productId }),
          ...(context.actor === undefined ? {} : { actor: context.actor }),
          payload,
          occurredAt: record.occurredAt,
          prevHash: head?.hash ?? GENESIS_HASH,
        };
        return tx.audit.append({ ...entry, hash: auditHash(sha256, tenantId, entry) });
      },
      signal,
    );
  } catch (e) {
    if (hasErrorKind(e, 'Conflict') && e.code === 'audit_event_exists') return undefined;
    if (hasErrorKind(e, 'Conflict') && e.code === 'audit_seq_taken') {
      throw transient('audit_chain_contended', 'Another writer extended the audit chain first; retry.', { cause: e });
    }
    throw e;
  }
}
