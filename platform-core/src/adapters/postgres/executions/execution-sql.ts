import { invalidState } from '../../../domain/errors.js';
import type { ExecutionRetryPolicy } from '../../../domain/execution/execution-retry.js';
import { retryPolicyFromJson } from '../../../domain/execution/execution-retry.js';
import type { SqlExecutor, SqlRow } from '../../../ports/sql-database.js';
import { quoteIdentifier } from '../sql-identifiers.js';

/** SQL shared by the queue and its leases. */

/** The states in which a worker holds the lease. */
export const LEASED = `('running', 'checking', 'promoting')`;

/** A millisecond count as an interval: `now() + $n * MS`. */
export const MS = `interval '1 millisecond'`;

/** The NOTIFY channel of ready executions for one catalog schema. */
export function readyChannel(schema: string): string {
  const channel = `hekima_ready_${schema}`.slice(0, 63);
  quoteIdentifier(channel, 'channel name');
  return channel;
}

export interface Fence {
  readonly tenantId: string;
  readonly executionId: string;
  readonly claimToken: string;
}

/**
 * Checks the claim and extends the lease in one statement (every lease write starts with it, so a
 * write is also a heartbeat). Throws InvalidState `lease_lost` when the claim is no longer ours.
 */
export async function fenced(sql: SqlExecutor, fence: Fence, leaseMs: number): Promise<SqlRow> {
  const { rows } = await sql.query(
    `UPDATE executions SET heartbeat_at = now(), lease_expires_at = now() + $4 * ${MS}
     WHERE tenant_id = $1 AND id = $2 AND claim_token = $3 AND state IN ${LEASED}
     RETURNING state, attempt`,
    [fence.tenantId, fence.executionId, fence.claimToken, leaseMs],
  );
  const row = rows[0];
  if (!row) {
    throw invalidState('lease_lost', 'This worker no longer holds the execution (lease expired, or cancelled).', {
      details: { executionId: fence.executionId },
    });
  }
  return row;
}

export function retryPolicyOf(row: SqlRow): ExecutionRetryPolicy {
  return retryPolicyFromJson(row['retry_policy'], Number(row['max_attempts']));
}
