import type { AuditEntry, AuditFilter } from '../../domain/catalog/audit-entry.js';
import { AuditChainVerifier, type ChainBreak } from '../../domain/audit/audit-chain.js';
import { throwIfAborted } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import { isUuid } from '../../domain/pagination.js';
import type { Catalog } from '../../ports/catalog.js';
import { sha256 } from './sha256.js';

export interface AuditQuery {
  /** Product name or catalog id. */
  readonly product?: string;
  readonly type?: string;
  /** ISO 8601, inclusive. */
  readonly since?: string;
  /** ISO 8601, exclusive. */
  readonly until?: string;
}

/** A page of the audit trail, newest first. A product name that is not in the catalog matches nothing. */
export async function listAudit(
  catalog: Catalog,
  tenantId: string,
  query: AuditQuery = {},
  page?: PageRequest,
  signal?: AbortSignal,
): Promise<Page<AuditEntry>> {
  const tenant = catalog.forTenant(tenantId, signal);
  let productId: string | undefined;
  if (query.product !== undefined) {
    productId = isUuid(query.product) ? query.product : (await tenant.products.getByName(query.product))?.id;
    if (productId === undefined) return { items: [], pageInfo: { hasNext: false, hasPrevious: false } };
  }
  const filter: AuditFilter = {
    ...(productId === undefined ? {} : { productId }),
    ...(query.type === undefined ? {} : { eventType: query.type }),
    ...(query.since === undefined ? {} : { from: query.since }),
    ...(query.until === undefined ? {} : { to: query.until }),
  };
  return tenant.audit.list(page, filter);
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Rows checked before the first break (all of them when ok). */
  readonly checked: number;
  readonly head?: { readonly seq: number; readonly hash: string };
  readonly break?: ChainBreak;
  /** Events relayed before the grace period that the trail lacks (a deleted newest row, a stalled consumer). */
  readonly unaudited: readonly string[];
}

export interface VerifyOptions {
  /** The audit consumer group, to exclude events it parked in the DLQ. */
  readonly auditGroup: string;
  /** Only events relayed before this instant are expected in the trail (default: now). */
  readonly witnessBefore?: string;
  readonly signal?: AbortSignal;
}

/**
 * Walks the whole chain in seq order and reports the first seq that breaks it, then compares the
 * chain's end with the signed head kept outside the rows (rows deleted at the end, the head
 * removed or rewritten without the key).
 */
export async function verifyAudit(
  catalog: Catalog,
  tenantId: string,
  options: VerifyOptions,
): Promise<AuditVerification> {
  const audit = catalog.forTenant(tenantId, options.signal).audit;
  const verifier = new AuditChainVerifier(tenantId, sha256);
  let after = 0;
  let last: AuditEntry | undefined;
  for (;;) {
    throwIfAborted(options.signal, 'audit verification');
    const rows = await audit.chain(after, 500);
    if (rows.length === 0 || !verifier.feed(rows)) break;
    last = rows[rows.length - 1]!;
    after = last.seq;
  }
  verifier.finish(await audit.signedHead(), last?.hash);
  const unaudited = await audit.unaudited(options.witnessBefore ?? new Date().toISOString(), options.auditGroup, 100);
  const broken = verifier.break;
  return {
    ok: broken === undefined && unaudited.length === 0,
    checked: verifier.checked,
    ...(last ? { head: { seq: last.seq, hash: last.hash } } : {}),
    ...(broken ? { break: broken } : {}),
    unaudited,
  };
}
