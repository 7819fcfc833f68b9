import { invalidArgument, type ErrorJSON } from '../../../domain/errors.js';
import type {
  Execution,
  ExecutionState,
  ExecutionStep,
  ExecutionTransition,
  ExecutionTrigger,
  NewExecution,
  StepState,
} from '../../../domain/catalog/execution.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { ExecutionFilter, ExecutionRepository } from '../../../ports/catalog.js';
import type { SqlParam, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, iso, json, num, one, optIso, optString, type TenantContext } from './rows.js';

export function executionFromRow(row: SqlRow): Execution {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    productVersionId: String(row['product_version_id']),
    deploymentId: optString(row['deployment_id']),
    state: row['state'] as ExecutionState,
    stateReason: optString(row['state_reason']),
    trigger: row['trigger'] as ExecutionTrigger,
    windowId: optString(row['window_id']),
    idempotencyKey: String(row['idempotency_key']),
    correlationId: optString(row['correlation_id']),
    requirements: (row['requirements'] ?? {}) as JsonObject,
    attempt: num(row['attempt']),
    maxAttempts: num(row['max_attempts']),
    notBefore: optIso(row['not_before']),
    leaseOwner: optString(row['lease_owner']),
    leaseExpiresAt: optIso(row['lease_expires_at']),
    heartbeatAt: optIso(row['heartbeat_at']),
    error: (row['error'] ?? undefined) as ErrorJSON | undefined,
    startedAt: optIso(row['started_at']),
    finishedAt: optIso(row['finished_at']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
    resumes: row['resumes'] === undefined ? undefined : num(row['resumes']),
    retryPolicy: (row['retry_policy'] ?? undefined) as JsonObject | undefined,
    inputs: (row['inputs'] ?? undefined) as JsonObject | undefined,
  });
}

function transitionFromRow(row: SqlRow): ExecutionTransition {
  return compact({
    id: String(row['id']),
    executionId: String(row['execution_id']),
    from: (row['from_state'] ?? undefined) as ExecutionState | undefined,
    to: row['to_state'] as ExecutionState,
    reason: optString(row['reason']),
    at: iso(row['at']),
  });
}

export function stepFromRow(row: SqlRow): ExecutionStep {
  return compact({
    id: String(row['id']),
    executionId: String(row['execution_id']),
    name: String(row['name']),
    ordinal: num(row['ordinal']),
    state: row['state'] as StepState,
    attempt: num(row['attempt']),
    startedAt: optIso(row['started_at']),
    finishedAt: optIso(row['finished_at']),
    durationMs: row['duration_ms'] === null || row['duration_ms'] === undefined ? undefined : num(row['duration_ms']),
    output: (row['output'] ?? undefined) as JsonObject | undefined,
    error: (row['error'] ?? undefined) as ErrorJSON | undefined,
    createdAt: iso(row['created_at']),
  });
}

export class PostgresExecutionRepository implements ExecutionRepository {
  constructor(private readonly ctx: TenantContext) {}

  async create(input: NewExecution): Promise<{ execution: Execution; created: boolean }> {
    assertId(input.productId, 'productId');
    assertId(input.productVersionId, 'productVersionId');
    if (input.deploymentId !== undefined) assertId(input.deploymentId, 'deploymentId');
    if (input.idempotencyKey.trim() === '')
      throw invalidArgument('invalid_idempotency_key', 'The idempotency key must not be empty.');
    return this.ctx.run(async (sql) => {
      const inserted = await sql.query(
        `INSERT INTO executions (tenant_id, product_id, product_version_id, deployment_id, trigger, idempotency_key,
                                 window_id, correlation_id, requirements, max_attempts, state_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)
         ON CONFLICT ON CONSTRAINT executions_idempotency_key DO NOTHING RETURNING *`,
        [
          this.ctx.tenantId,
          input.productId,
          input.productVersionId,
          input.deploymentId ?? null,
          input.trigger,
          input.idempotencyKey,
          input.windowId ?? null,
          input.correlationId ?? null,
          json(input.requirements ?? {}),
          input.maxAttempts ?? 1,
          input.reason ?? null,
        ],
      );
      const row = inserted.rows[0];
      if (row) return { execution: executionFromRow(row), created: true };
      const existing = await sql.query('SELECT * FROM executions WHERE tenant_id = $1 AND idempotency_key = $2', [
        this.ctx.tenantId,
        input.idempotencyKey,
      ]);
      return { execution: executionFromRow(existing.rows[0]!), created: false };
    });
  }

  async get(id: string): Promise<Execution | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM executions WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        executionFromRow,
      ),
    );
  }

  async getByIdempotencyKey(key: string): Promise<Execution | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (
          await sql.query('SELECT * FROM executions WHERE tenant_id = $1 AND idempotency_key = $2', [
            this.ctx.tenantId,
            key,
          ])
        ).rows,
        executionFromRow,
      ),
    );
  }

  async list(page?: PageRequest, filter: ExecutionFilter = {}): Promise<Page<Execution>> {
    if (filter.productId !== undefined) assertId(filter.productId, 'productId');
    const where = ['tenant_id = $1'];
    const params: SqlParam[] = [this.ctx.tenantId];
    if (filter.productId !== undefined) where.push(`product_id = $${params.push(filter.productId)}`);
    if (filter.state !== undefined) where.push(`state = $${params.push(filter.state)}`);
    return this.ctx.run((sql) => pagedSelect(sql, page, { from: 'executions', where, params, map: executionFromRow }));
  }

  async transitions(executionId: string): Promise<ExecutionTransition[]> {
    assertId(executionId, 'executionId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        'SELECT * FROM execution_transitions WHERE tenant_id = $1 AND execution_id = $2 ORDER BY seq',
        [this.ctx.tenantId, executionId],
      );
      return rows.map(transitionFromRow);
    });
  }

  async advanceHeld(
    executionId: string,
    owner: string,
    states: readonly ExecutionState[],
    reason: string,
  ): Promise<boolean> {
    assertId(executionId, 'executionId');
    return this.ctx.run(async (sql) => {
      const ids = [this.ctx.tenantId, executionId];
      const { rows } = await sql.query(
        `SELECT 1 FROM executions WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3
           AND lease_expires_at > clock_timestamp() FOR UPDATE`,
        [...ids, owner],
      );
      if (rows.length !== 1) return false;
      for (const state of states)
        await sql.query('UPDATE executions SET state = $3, state_reason = $4 WHERE tenant_id = $1 AND id = $2', [
          ...ids,
          state,
          reason,
        ]);
      return true;
    });
  }

  async steps(executionId: string): Promise<ExecutionStep[]> {
    assertId(executionId, 'executionId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql.query(
        'SELECT * FROM execution_steps WHERE tenant_id = $1 AND execution_id = $2 ORDER BY ordinal, attempt',
        [this.ctx.tenantId, executionId],
      );
      return rows.map(stepFromRow);
    });
  }
}
