import type { SignedHead } from '../../../domain/audit/audit-chain.js';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../../../domain/catalog/audit-entry.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { AuditRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, num, one, optString, type TenantContext } from './rows.js';

function auditEntryFromRow(row: SqlRow): AuditEntry {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    seq: num(row['seq']),
    eventId: String(row['event_id']),
    eventType: String(row['event_type']),
    correlationId: optString(row['correlation_id']),
    productId: optString(row['product_id']),
    actor: optString(row['actor']),
    payload: row['payload'] as JsonObject,
    occurredAt: iso(row['occurred_at']),
    prevHash: String(row['prev_hash']),
    hash: String(row['hash']),
    createdAt: iso(row['created_at']),
  });
}

/** The audit trail's storage: append and read only (the table refuses UPDATE and DELETE). */
export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly ctx: TenantContext) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    if (entry.productId !== undefined) assertId(entry.productId, 'productId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO audit_log (tenant_id, seq, event_id, event_type, correlation_id, product_id, actor, payload, occurred_at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamptz, $10, $11) RETURNING *`,
          [
            this.ctx.tenantId,
            entry.seq,
            entry.eventId,
            entry.eventType,
            entry.correlationId ?? null,
            entry.productId ?? null,
            entry.actor ?? null,
            json(entry.payload),
            entry.occurredAt,
            entry.prevHash,
            entry.hash,
          ],
        )
        .catch(
          conflictOn({
            audit_log_seq_key: [
              'audit_seq_taken',
              `Audit seq ${entry.seq} is already taken: another writer appended first.`,
            ],
            audit_log_event_key: ['audit_event_exists', `Event ${entry.eventId} is already in the audit trail.`],
          }),
        );
      return auditEntryFromRow(rows[0]!);
    });
  }

  async head(): Promise<AuditEntry | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1', [this.ctx.tenantId]))
          .rows,
        auditEntryFromRow,
      ),
    );
  }

  async signedHead(): Promise<SignedHead | undefined> {
    return this.ctx.run(async (sql) =>
      one((await sql.query('SELECT seq, hash, signed FROM audit_head_check()')).rows, (row) => ({
        seq: num(row['seq']),
        hash: String(row['hash']),
        signed: row['signed'] === true,
      })),
    );
  }

  async list(page?: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    if (filter.productId !== undefined) assertId(filter.productId, 'productId');
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    if (filter.productId !== undefined) where.push(`product_id = $${params.push(filter.productId)}`);
    if (filter.eventType !== undefined) where.push(`event_type = $${params.push(filter.eventType)}`);
    if (filter.from !== undefined) where.push(`occurred_at >= $${params.push(filter.from)}::timestamptz`);
    if (filter.to !== undefined) where.push(`occurred_at < $${params.push(filter.to)}::timestamptz`);
    return this.ctx.run((sql) => pagedSelect(sql, page, { from: 'audit_log', where, params, map: auditEntryFromRow }));
  }

  async chain(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.ctx.run(async (sql) =>
      (
        await sql.query('SELECT * FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
          this.ctx.tenantId,
          afterSeq,
          limit,
        ])
      ).rows.map(auditEntryFromRow),
    );
  }

  async unaudited(before: string, auditGroup: string, limit: number): Promise<string[]> {
    return this.ctx.run(async (sql) =>
      (
        await sql.query(
          `SELECT e.event_id FROM events e
            WHERE e.tenant_id = $1 AND e.published_at IS NOT NULL AND e.published_at < $2::timestamptz
              AND e.target_group IS NULL
              AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = e.tenant_id AND a.event_id = e.event_id)
              AND NOT EXISTS (SELECT 1 FROM dlq_entries d
                               WHERE d.tenant_id = e.tenant_id AND d.event_id = e.event_id AND d.consumer_group = $3)
            ORDER BY e.seq LIMIT $4`,
          [this.ctx.tenantId, before, auditGroup, limit],
        )
      ).rows.map((r) => String(r['event_id'])),
    );
  }
}
