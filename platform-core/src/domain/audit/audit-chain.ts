import { GENESIS_HASH, type AuditEntry, type NewAuditEntry } from '../catalog/audit-entry.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The audit trail's hash chain (docs/adr/0008): row n stores `prev_hash` = hash of row n-1 (64
 * zeros for seq 1) and `hash` = SHA-256 of the canonical JSON of its content, tenant and
 * prev_hash. Editing a row breaks its own hash; deleting one leaves a gap in seq or a broken link.
 */
export type Sha256 = (text: string) => string;

type Hashed = Pick<
  NewAuditEntry,
  'seq' | 'eventId' | 'eventType' | 'correlationId' | 'productId' | 'actor' | 'payload' | 'occurredAt' | 'prevHash'
>;

/** The exact text that is hashed for one row. */
export function auditHashInput(tenantId: string, entry: Hashed): string {
  return canonicalJson({
    tenant_id: tenantId,
    seq: entry.seq,
    event_id: entry.eventId,
    event_type: entry.eventType,
    correlation_id: entry.correlationId ?? null,
    product_id: entry.productId ?? null,
    actor: entry.actor ?? null,
    payload: entry.payload,
    occurred_at: new Date(entry.occurredAt).toISOString(),
    prev_hash: entry.prevHash,
  });
}

export function auditHash(sha256: Sha256, tenantId: string, entry: Hashed): string {
  return sha256(auditHashInput(tenantId, entry));
}

export type ChainBreakReason =
  'missing_rows' | 'hash_mismatch' | 'prev_hash_mismatch' | 'head_missing' | 'head_unsigned' | 'head_mismatch';

/**
 * The chain's signed head as the catalog keeps it, outside the rows (docs/adr/0018): the seq and
 * hash of the newest entry, and whether its HMAC signature (key unreadable by the app) holds.
 */
export interface SignedHead {
  readonly seq: number;
  readonly hash: string;
  readonly signed: boolean;
}

export interface ChainBreak {
  /** The first seq at which the chain no longer holds. */
  readonly seq: number;
  readonly reason: ChainBreakReason;
  readonly message: string;
}

/** Checks rows page by page, in seq order; stops at the first break. */
export class AuditChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #checked = 0;
  #break: ChainBreak | undefined;

  constructor(
    private readonly tenantId: string,
    private readonly sha256: Sha256,
  ) {}

  get checked(): number {
    return this.#checked;
  }

  get lastSeq(): number {
    return this.#expectedSeq - 1;
  }

  get break(): ChainBreak | undefined {
    return this.#break;
  }

  /** Feeds the next rows; returns false once a break was found. */
  feed(rows: readonly AuditEntry[]): boolean {
    for (const row of rows) {
      if (this.#break) return false;
      this.#break = this.#check(row);
      if (this.#break) return false;
      this.#checked += 1;
      this.#expectedSeq = row.seq + 1;
      this.#prevHash = row.hash;
    }
    return this.#break === undefined;
  }

  /**
   * After the last row: compares the end of the chain with the signed head. Rows deleted at the
   * end (the newest ones, or all of them) leave a chain that still links; the head still names the
   * newest seq. Call once every row was fed (returns the break, if any, and records it).
   */
  finish(head: SignedHead | undefined, lastHash: string | undefined): ChainBreak | undefined {
    if (this.#break) return this.#break;
    const last = this.lastSeq;
    const next = last + 1;
    if (head === undefined) {
      if (last > 0)
        this.#break = {
          seq: last,
          reason: 'head_missing',
          message: `the signed head record is missing while the trail holds ${last} entries (removed outside the application).`,
        };
    } else if (!head.signed) {
      this.#break = {
        seq: head.seq,
        reason: 'head_unsigned',
        message: `the head record (seq ${head.seq}) does not carry a valid signature (it was rewritten without the key).`,
      };
    } else if (head.seq > last) {
      const range = head.seq > next ? `seq ${next}–${head.seq} are` : `seq ${next} is`;
      this.#break = {
        seq: next,
        reason: 'missing_rows',
        message: `${range} missing (deleted at the end of the trail; the signed head is at seq ${head.seq}).`,
      };
    } else if (head.seq < last || head.hash !== lastHash) {
      this.#break = {
        seq: Math.min(head.seq, last),
        reason: 'head_mismatch',
        message: `the newest entry (seq ${last}) is not the one the signed head names (seq ${head.seq}): rows were replaced or added outside the application.`,
      };
    }
    return this.#break;
  }

  #check(row: AuditEntry): ChainBreak | undefined {
    const seq = this.#expectedSeq;
    if (row.seq !== seq) {
      const last = row.seq - 1;
      return {
        seq,
        reason: 'missing_rows',
        message: `seq ${seq}${last > seq ? `–${last}` : ''} ${last > seq ? 'are' : 'is'} missing (deleted).`,
      };
    }
    if (row.prevHash !== this.#prevHash) {
      return {
        seq,
        reason: 'prev_hash_mismatch',
        message: `seq ${seq}: prev_hash does not match the hash of seq ${seq - 1} (a row was rewritten or removed).`,
      };
    }
    if (auditHash(this.sha256, this.tenantId, row) !== row.hash) {
      return { seq, reason: 'hash_mismatch', message: `seq ${seq}: the content does not match its hash (edited).` };
    }
    return undefined;
  }
}
