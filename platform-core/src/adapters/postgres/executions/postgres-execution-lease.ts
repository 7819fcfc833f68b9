import type { Execution, ExecutionState, ExecutionStep } from '../../../domain/catalog/execution.js';
import { invalidState, type ErrorJSON } from '../../../domain/errors.js';
import type { TenantCatalog } from '../../../ports/catalog.js';
import type { ExecutionRetryPolicy } from '../../../domain/execution/execution-retry.js';
import type { JsonObject } from '../../../domain/json.js';
import type { ExecutionLease } from '../../../ports/execution-queue.js';
import type { SqlDatabase, SqlExecutor, SqlRow } from '../../../ports/sql-database.js';
import { json } from '../catalog/rows.js';
import { stepFromRow } from '../catalog/postgres-execution-repository.js';
import type { ExecutionOutbox } from './execution-outbox.js';
import { fenced, MS, readyChannel, type Fence } from './execution-sql.js';

/** A claim on one execution: tenant transactions (RLS), each fenced by the claim token. */
export class PostgresExecutionLease implements ExecutionLease {
  readonly #fence: Fence;

  constructor(
    private readonly db: SqlDatabase,
    readonly execution: Execution,
    claimToken: string,
    readonly workerId: string,
    readonly resumed: boolean,
    readonly retryPolicy: ExecutionRetryPolicy,
    private readonly leaseMs: number,
    private readonly outbox?: ExecutionOutbox,
  ) {
    this.#fence = { tenantId: execution.tenantId, executionId: execution.id, claimToken };
  }

  heartbeat(signal?: AbortSignal): Promise<void> {
    return this.#run(async () => undefined, signal);
  }

  steps(signal?: AbortSignal): Promise<ExecutionStep[]> {
    return this.#run(async (sql) => {
      const { rows } = await sql.query(
        'SELECT * FROM execution_steps WHERE tenant_id = $1 AND execution_id = $2 ORDER BY ordinal, attempt',
        [this.#fence.tenantId, this.#fence.executionId],
      );
      return rows.map(stepFromRow);
    }, signal);
  }

  advance(to: ExecutionState, reason: string, signal?: AbortSignal): Promise<void> {
    return this.#run(async (sql) => {
      await sql.query('UPDATE executions SET state = $3, state_reason = $4 WHERE tenant_id = $1 AND id = $2', [
        ...this.#ids(),
        to,
        reason,
      ]);
    }, signal);
  }

  startStep(name: string, ordinal: number, signal?: AbortSignal): Promise<void> {
    return this.#run(async (sql, lease) => {
      await sql.query(
        `INSERT INTO execution_steps (tenant_id, execution_id, name, ordinal, state, attempt, started_at)
         VALUES ($1, $2, $3, $4, 'running', $5, now())
         ON CONFLICT ON CONSTRAINT execution_steps_name_key DO UPDATE
           SET state = 'running', ordinal = EXCLUDED.ordinal, attempt = EXCLUDED.attempt, started_at = now(),
               finished_at = NULL, duration_ms = NULL, output = NULL, error = NULL`,
        [...this.#ids(), name, ordinal, Number(lease['attempt'])],
      );
    }, signal);
  }

  completeStep(name: string, output: JsonObject, durationMs: number, signal?: AbortSignal): Promise<void> {
    return this.#endStep(name, 'succeeded', { output: json(output), error: null }, durationMs, signal);
  }

  failStep(name: string, error: ErrorJSON, durationMs: number, signal?: AbortSignal): Promise<void> {
    return this.#endStep(name, 'failed', { output: null, error: json(error) }, durationMs, signal);
  }

  retryLater(error: ErrorJSON, delayMs: number, reason: string, signal?: AbortSignal): Promise<void> {
    return this.#run(async (sql) => {
      await sql.query(
        `UPDATE executions SET state = 'ready', state_reason = $3, error = $4::jsonb, attempt = attempt + 1,
           not_before = now() + $5 * ${MS}, lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL
         WHERE tenant_id = $1 AND id = $2`,
        [...this.#ids(), reason, json(error), Math.max(0, Math.round(delayMs))],
      );
      await sql.query('SELECT pg_notify($1, $2)', [readyChannel(this.db.schema), 'retry']);
    }, signal);
  }

  release(reason: string, signal?: AbortSignal): Promise<void> {
    return this.#run(async (sql) => {
      await sql.query(
        `UPDATE executions SET state = 'ready', state_reason = $3, resumes = resumes + 1, not_before = NULL,
           lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL
         WHERE tenant_id = $1 AND id = $2`,
        [...this.#ids(), reason],
      );
      await sql.query('SELECT pg_notify($1, $2)', [readyChannel(this.db.schema), 'released']);
    }, signal);
  }

  finish(
    state: 'succeeded' | 'failed',
    reason: string,
    error?: ErrorJSON,
    signal?: AbortSignal,
    within?: (tx: TenantCatalog) => Promise<void>,
  ): Promise<void> {
    const bind = this.outbox?.within;
    if (within && !bind)
      throw invalidState(
        'execution_transaction_unavailable',
        'This execution queue has no catalog to run work in its transactions (build it with executionBackbone).',
      );
    return this.#run(async (sql) => {
      if (within && bind) await within(bind(this.#fence.tenantId, sql));
      const { rows } = await sql.query(
        `UPDATE executions SET state = $3, state_reason = $4, error = COALESCE($5::jsonb, error), finished_at = now(),
           lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL
         WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [...this.#ids(), state, reason, error === undefined ? null : json(error)],
      );
      // The lifecycle event commits or rolls back with the state change (same transaction).
      if (this.outbox && rows[0]) await this.outbox(sql, rows[0]);
    }, signal);
  }

  #ids(): [string, string] {
    return [this.#fence.tenantId, this.#fence.executionId];
  }

  #endStep(
    name: string,
    state: 'succeeded' | 'failed',
    values: { output: string | null; error: string | null },
    durationMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.#run(async (sql) => {
      await sql.query(
        `UPDATE execution_steps SET state = $4, output = $5::jsonb, error = $6::jsonb, finished_at = now(), duration_ms = $7
         WHERE tenant_id = $1 AND execution_id = $2 AND name = $3`,
        [...this.#ids(), name, state, values.output, values.error, Math.max(0, Math.round(durationMs))],
      );
    }, signal);
  }

  #run<T>(work: (sql: SqlExecutor, lease: SqlRow) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.db.withTenant(
      this.#fence.tenantId,
      async (sql) => work(sql, await fenced(sql, this.#fence, this.leaseMs)),
      signal,
    );
  }
}
