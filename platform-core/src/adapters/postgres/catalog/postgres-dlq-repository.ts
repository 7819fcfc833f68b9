import { conflict, invalidState, notFound, type ErrorJSON } from '../../../domain/errors.js';
import {
  canMoveDlqEntry,
  type DlqEntry,
  type DlqStage,
  type DlqStatus,
  type NewDlqEntry,
} from '../../../domain/catalog/dlq-entry.js';
import type { JsonValue } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { DlqFilter, DlqRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, iso, json, num, one, optIso, optString, type TenantContext } from './rows.js';

function dlqEntryFromRow(row: SqlRow): DlqEntry {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    stage: row['stage'] as DlqStage,
    status: row['status'] as DlqStatus,
    eventId: optString(row['event_id']),
    event: row['event'] as JsonValue,
    error: row['error'] as ErrorJSON,
    attempts: num(row['attempts']),
    productId: optString(row['product_id']),
    correlationId: optString(row['correlation_id']),
    consumerGroup: optString(row['consumer_group']),
    topic: optString(row['topic']),
    partitionKey: optString(row['partition_key']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
    resolvedAt: optIso(row['resolved_at']),
  });
}

export class PostgresDlqRepository implements DlqRepository {
  constructor(private readonly ctx: TenantContext) {}

  async add(input: NewDlqEntry): Promise<DlqEntry> {
    if (input.productId !== undefined) assertId(input.productId, 'productId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        `INSERT INTO dlq_entries (tenant_id, stage, event_id, event, error, attempts, product_id, correlation_id, consumer_group, topic, partition_key)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          this.ctx.tenantId,
          input.stage,
          input.eventId ?? null,
          json(input.event),
          json(input.error),
          input.attempts,
          input.productId ?? null,
          input.correlationId ?? null,
          input.consumerGroup ?? null,
          input.topic ?? null,
          input.partitionKey ?? null,
        ],
      );
      return dlqEntryFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<DlqEntry | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM dlq_entries WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        dlqEntryFromRow,
      ),
    );
  }

  async setStatus(id: string, to: DlqStatus): Promise<DlqEntry> {
    assertId(id);
    return this.ctx.run(async (sql) => {
      const current = one(
        (
          await sql.query('SELECT * FROM dlq_entries WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
            this.ctx.tenantId,
            id,
          ])
        ).rows,
        dlqEntryFromRow,
      );
      if (!current) throw notFound('dlq_entry_not_found', `No DLQ entry ${id}.`);
      if (!canMoveDlqEntry(current.status, to)) {
        throw invalidState('invalid_dlq_transition', `A ${current.status} DLQ entry cannot become ${to}.`, {
          details: { id, from: current.status, to },
        });
      }
      const { rows } = await sql.query(
        `UPDATE dlq_entries SET status = $3, resolved_at = now() WHERE tenant_id = $1 AND id = $2 AND status = $4 RETURNING *`,
        [this.ctx.tenantId, id, to, current.status],
      );
      if (!rows[0]) throw conflict('dlq_entry_changed', `DLQ entry ${id} was changed meanwhile.`);
      return dlqEntryFromRow(rows[0]);
    });
  }

  async list(page?: PageRequest, filter: DlqFilter = {}): Promise<Page<DlqEntry>> {
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    if (filter.stage !== undefined) where.push(`stage = $${params.push(filter.stage)}`);
    if (filter.status !== undefined) where.push(`status = $${params.push(filter.status)}`);
    return this.ctx.run((sql) => pagedSelect(sql, page, { from: 'dlq_entries', where, params, map: dlqEntryFromRow }));
  }
}
