import { conflict, invalidArgument } from '../../../domain/errors.js';
import type { ConnectorStateRecord, ConnectorStateWrite } from '../../../domain/ingestion/connector-state.js';
import type { JsonObject } from '../../../domain/json.js';
import type { ConnectorStateRepository } from '../../../ports/catalog.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { assertId, compact, iso, json, one, optString, type TenantContext } from './rows.js';

function stateFromRow(row: SqlRow): ConnectorStateRecord {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    inputId: String(row['input_id']),
    state: row['state'] as JsonObject,
    snapshotId: String(row['snapshot_id']),
    dataLocation: optString(row['data_location']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

function assertInputId(inputId: string): void {
  if (inputId.length === 0 || inputId.length > 200)
    throw invalidArgument('invalid_input_id', 'A connector input id has 1 to 200 characters.', {
      details: { inputId },
    });
}

/** Connector states (migration 008): read anywhere, written with compare-and-set in the commit transaction. */
export class PostgresConnectorStateRepository implements ConnectorStateRepository {
  constructor(private readonly ctx: TenantContext) {}

  async get(productId: string, inputId: string): Promise<ConnectorStateRecord | undefined> {
    assertId(productId, 'productId');
    assertInputId(inputId);
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query('SELECT * FROM connector_states WHERE tenant_id = $1 AND product_id = $2 AND input_id = $3', [
            this.ctx.tenantId,
            productId,
            inputId,
          ])
        ).rows,
        stateFromRow,
      ),
    );
  }

  async ofProduct(productId: string): Promise<ConnectorStateRecord[]> {
    assertId(productId, 'productId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        'SELECT * FROM connector_states WHERE tenant_id = $1 AND product_id = $2 ORDER BY input_id',
        [this.ctx.tenantId, productId],
      );
      return rows.map(stateFromRow);
    });
  }

  async save(write: ConnectorStateWrite): Promise<ConnectorStateRecord> {
    assertId(write.productId, 'productId');
    assertId(write.snapshotId, 'snapshotId');
    if (write.expectedSnapshotId !== null) assertId(write.expectedSnapshotId, 'expectedSnapshotId');
    assertInputId(write.inputId);
    return this.ctx.run(async (sql) => {
      // Insert when none exists and none was expected; update only the expected one.
      const { rows } = await sql.query(
        `INSERT INTO connector_states (tenant_id, product_id, input_id, state, snapshot_id, data_location)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6)
         ON CONFLICT (tenant_id, product_id, input_id) DO UPDATE
           SET state = EXCLUDED.state, snapshot_id = EXCLUDED.snapshot_id, data_location = EXCLUDED.data_location
           WHERE connector_states.tenant_id = $1 AND connector_states.snapshot_id IS NOT DISTINCT FROM $7::uuid
         RETURNING *`,
        [
          this.ctx.tenantId,
          write.productId,
          write.inputId,
          json(write.state),
          write.snapshotId,
          write.dataLocation ?? null,
          write.expectedSnapshotId,
        ],
      );
      const saved = rows[0];
      if (saved) return stateFromRow(saved);
      throw conflict(
        'connector_state_changed',
        `The state of input "${write.inputId}" was committed by another run meanwhile; this run's data is not committed: run it again.`,
        { details: { productId: write.productId, inputId: write.inputId }, retryable: true },
      );
    });
  }

  async reset(productId: string, inputId: string): Promise<boolean> {
    assertId(productId, 'productId');
    assertInputId(inputId);
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        'DELETE FROM connector_states WHERE tenant_id = $1 AND product_id = $2 AND input_id = $3 RETURNING id',
        [this.ctx.tenantId, productId, inputId],
      );
      return rows.length > 0;
    });
  }
}
