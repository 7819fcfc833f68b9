import type { Execution } from '../../../domain/catalog/execution.js';
import { invalidArgument, invalidState, notFound } from '../../../domain/errors.js';
import { DEFAULT_EXECUTION_RETRY } from '../../../domain/execution/execution-retry.js';
import { DEFAULT_REQUIREMENTS, requirementsToJson } from '../../../domain/execution/resources.js';
import type {
  ClaimOneRequest,
  ClaimRequest,
  ExecutionLease,
  ExecutionQueue,
  MaintenanceReport,
  MaintenanceRequest,
  SubmitRequest,
} from '../../../ports/execution-queue.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { executionFromRow } from '../catalog/postgres-execution-repository.js';
import { assertId, json } from '../catalog/rows.js';
import { claimExecutionById, claimExecutions, leaseOf, leaseRows } from './claim-executions.js';
import type { ExecutionOutbox } from './execution-outbox.js';
import { readyChannel } from './execution-sql.js';
import { maintainExecutions } from './maintain-executions.js';

/**
 * The execution queue over the catalog database (PGlite or PostgreSQL, the same SQL): the
 * `executions` table is the queue, NOTIFY on a per-schema channel wakes workers (delivered at
 * commit; on PGlite within the process). See docs/adr/0009.
 */
export class PostgresExecutionQueue implements ExecutionQueue {
  readonly #channel: string;

  /** `outbox` announces lifecycle changes in the transaction that makes them (execution-outbox.ts). */
  constructor(
    private readonly db: SqlDatabase,
    private readonly outbox?: ExecutionOutbox,
  ) {
    this.#channel = readyChannel(db.schema);
  }

  submit(
    tenantId: string,
    request: SubmitRequest,
    signal?: AbortSignal,
  ): Promise<{ execution: Execution; created: boolean; lease?: ExecutionLease }> {
    assertId(request.productId, 'productId');
    assertId(request.productVersionId, 'productVersionId');
    if (request.deploymentId !== undefined) assertId(request.deploymentId, 'deploymentId');
    if (request.idempotencyKey.trim() === '')
      throw invalidArgument('invalid_idempotency_key', 'The idempotency key must not be empty.');
    const retry = request.retryPolicy ?? { ...DEFAULT_EXECUTION_RETRY, maxAttempts: request.maxAttempts ?? 1 };
    return this.db.withTenant(
      tenantId,
      async (sql) => {
        const inserted = await sql.query(
          `INSERT INTO executions (tenant_id, product_id, product_version_id, deployment_id, trigger, idempotency_key,
             window_id, correlation_id, requirements, max_attempts, retry_policy, inputs, state_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12::jsonb, $13)
           ON CONFLICT ON CONSTRAINT executions_idempotency_key DO NOTHING RETURNING id`,
          [
            tenantId,
            request.productId,
            request.productVersionId,
            request.deploymentId ?? null,
            request.trigger,
            request.idempotencyKey,
            request.windowId ?? null,
            request.correlationId ?? null,
            json(requirementsToJson(request.requirements ?? DEFAULT_REQUIREMENTS)),
            retry.maxAttempts,
            json(retry),
            request.inputs === undefined ? null : json(request.inputs),
            request.reason ?? `submitted (${request.trigger})`,
          ],
        );
        const id = inserted.rows[0]?.['id'];
        if (id === undefined) {
          const existing = await sql.query('SELECT * FROM executions WHERE tenant_id = $1 AND idempotency_key = $2', [
            tenantId,
            request.idempotencyKey,
          ]);
          return { execution: executionFromRow(existing.rows[0]!), created: false };
        }
        const fail = request.failWith;
        const { rows } = await sql.query(
          `UPDATE executions SET state = $3, state_reason = $4, error = $5::jsonb,
             finished_at = CASE WHEN $3 = 'failed' THEN now() END
           WHERE tenant_id = $1 AND id = $2 RETURNING *`,
          [
            tenantId,
            String(id),
            fail ? 'failed' : 'ready',
            fail ? fail.reason : 'waiting for a worker',
            fail ? json(fail.error) : null,
          ],
        );
        const claim = fail ? undefined : request.claimFor;
        if (claim) {
          const [leased] = await leaseRows(sql, [String(id)], claim.workerId, claim.leaseMs);
          if (this.outbox) await this.outbox(sql, leased!);
          const lease = leaseOf(this.db, leased!, claim.workerId, claim.leaseMs, this.outbox);
          return { execution: lease.execution, created: true, lease };
        }
        if (!fail) await sql.query('SELECT pg_notify($1, $2)', [this.#channel, 'ready']);
        else if (this.outbox) await this.outbox(sql, rows[0]!);
        return { execution: executionFromRow(rows[0]!), created: true };
      },
      signal,
    );
  }

  claim(request: ClaimRequest, signal?: AbortSignal): Promise<ExecutionLease[]> {
    return claimExecutions(this.db, request, signal, this.outbox);
  }

  claimById(
    tenantId: string,
    executionId: string,
    request: ClaimOneRequest,
    signal?: AbortSignal,
  ): Promise<ExecutionLease | undefined> {
    assertId(executionId, 'executionId');
    return claimExecutionById(
      this.db,
      { tenantId, executionId, workerId: request.workerId, leaseMs: request.leaseMs },
      signal,
      this.outbox,
    );
  }

  maintain(request: MaintenanceRequest, signal?: AbortSignal): Promise<MaintenanceReport> {
    return maintainExecutions(this.db, request, signal, this.outbox);
  }

  cancel(tenantId: string, executionId: string, reason: string, signal?: AbortSignal): Promise<Execution> {
    assertId(executionId, 'executionId');
    return this.db.withTenant(
      tenantId,
      async (sql) => {
        const { rows } = await sql.query(
          `UPDATE executions SET state = 'cancelled', state_reason = $3, finished_at = now(),
             lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL
           WHERE tenant_id = $1 AND id = $2 AND state NOT IN ('succeeded', 'failed', 'skipped', 'cancelled')
           RETURNING *`,
          [tenantId, executionId, reason],
        );
        if (rows[0]) return executionFromRow(rows[0]);
        const current = await sql.query('SELECT state FROM executions WHERE tenant_id = $1 AND id = $2', [
          tenantId,
          executionId,
        ]);
        if (!current.rows[0]) throw notFound('execution_not_found', `No execution ${executionId}.`);
        throw invalidState('execution_finished', `The execution is already ${String(current.rows[0]['state'])}.`);
      },
      signal,
    );
  }

  watch(onWork: () => void): Promise<() => Promise<void>> {
    return this.db.listen(this.#channel, () => onWork());
  }
}
