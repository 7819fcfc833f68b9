import { permanent } from '../../../domain/errors.js';
import { explainNoFit, requirementsFromJson } from '../../../domain/execution/resources.js';
import type { JsonObject } from '../../../domain/json.js';
import type { MaintenanceReport, MaintenanceRequest } from '../../../ports/execution-queue.js';
import type { SqlDatabase } from '../../../ports/sql-database.js';
import { json } from '../catalog/rows.js';
import { LEASED, MS } from './execution-sql.js';
import type { ExecutionOutbox } from './execution-outbox.js';

const BATCH = 100;
const NO_FIT = 'fits no worker%';

/**
 * Housekeeping any worker runs every few seconds (admin path, cross-tenant):
 * 1. expired leases: the execution goes back to `ready` (recorded with the reason) and the next
 *    claim resumes it after its last completed step; after `maxResumes` expiries it fails instead
 *    (a step that kills every worker it runs on must not loop forever);
 * 2. ready executions no live worker could ever take get that reason (and lose it once one could).
 * With `tenantId` (a `hekima run` cleaning up after its own crashed runs) only step 1, for that
 * tenant. The reason names the lease owner (a worker, or `hekima-run-<pid>`) and says its process
 * stopped heartbeating.
 */
export async function maintainExecutions(
  db: SqlDatabase,
  request: MaintenanceRequest,
  signal?: AbortSignal,
  outbox?: ExecutionOutbox,
): Promise<MaintenanceReport> {
  const gaveUp = permanent('lease_expired', 'The execution lost its worker too many times (each lease expired).');
  const scoped = request.tenantId !== undefined;
  const swept = await db.admin.transaction(async (sql) => {
    const { rows } = await sql.query(
      `WITH expired AS (
         SELECT id FROM executions
         WHERE lease_owner IS NOT NULL AND lease_expires_at < now() AND state IN ${LEASED}
           AND ($3::uuid IS NULL OR tenant_id = $3::uuid)
         ORDER BY lease_expires_at LIMIT ${BATCH} FOR NO KEY UPDATE SKIP LOCKED)
       UPDATE executions e SET
         state = CASE WHEN e.resumes >= $1 THEN 'failed' ELSE 'ready' END,
         state_reason = CASE WHEN e.resumes >= $1
           THEN format('the lease of worker %s expired (its process stopped heartbeating); %s resumes already, giving up', e.lease_owner, e.resumes)
           ELSE format('the lease of worker %s expired (its process stopped heartbeating); ready to resume after the last completed step', e.lease_owner) END,
         error = CASE WHEN e.resumes >= $1 THEN $2::jsonb ELSE e.error END,
         finished_at = CASE WHEN e.resumes >= $1 THEN now() END,
         resumes = CASE WHEN e.resumes >= $1 THEN e.resumes ELSE e.resumes + 1 END,
         lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL, not_before = NULL
       FROM expired WHERE e.id = expired.id
       RETURNING e.*`,
      [request.maxResumes, json(gaveUp.toJSON()), request.tenantId ?? null],
    );
    for (const row of rows) if (outbox && row['state'] === 'failed') await outbox(sql, row);
    return rows.map((r) => ({ id: String(r['id']), state: String(r['state']) }));
  }, signal);

  const unplaceable = scoped ? 0 : await markUnplaceable(db, request, signal);
  return {
    resumed: swept.filter((s) => s.state === 'ready').length,
    abandoned: swept.filter((s) => s.state === 'failed').length,
    unplaceable,
    expired: swept.map((s) => s.id),
  };
}

/** Ready executions no live worker fits get that reason; the ones that fit again lose it. */
function markUnplaceable(db: SqlDatabase, request: MaintenanceRequest, signal?: AbortSignal): Promise<number> {
  return db.admin.transaction(async (sql) => {
    const workers = (
      await sql.query(
        `SELECT cpu_millis, memory_bytes FROM workers WHERE stopped_at IS NULL AND heartbeat_at > now() - $1 * ${MS}`,
        [request.workerTtlMs],
      )
    ).rows.map((w) => ({ cpuMillis: Number(w['cpu_millis']), memoryBytes: Number(w['memory_bytes']) }));
    // Candidates: ready rows no live worker fits, and rows whose old "fits no worker" may be stale.
    const { rows } = await sql.query(
      `SELECT id, requirements, state_reason FROM executions e
       WHERE state = 'ready' AND (state_reason LIKE $2 OR NOT EXISTS (
         SELECT 1 FROM workers w WHERE w.stopped_at IS NULL AND w.heartbeat_at > now() - $1 * ${MS}
           AND w.cpu_millis >= COALESCE((e.requirements->>'cpu_millis')::numeric, 0)
           AND w.memory_bytes >= COALESCE((e.requirements->>'memory_bytes')::numeric, 0)))
       ORDER BY created_at LIMIT ${BATCH} FOR NO KEY UPDATE SKIP LOCKED`,
      [request.workerTtlMs, NO_FIT],
    );
    let marked = 0;
    for (const row of rows) {
      const reason =
        explainNoFit(requirementsFromJson((row['requirements'] ?? {}) as JsonObject), workers) ??
        'waiting for a worker with free capacity';
      if (reason === row['state_reason']) continue;
      await sql.query('UPDATE executions SET state_reason = $2 WHERE id = $1', [row['id'] as string, reason]);
      if (reason.startsWith('fits no worker')) marked++;
    }
    await sql.query(`DELETE FROM workers WHERE stopped_at < now() - interval '1 day'`);
    return marked;
  }, signal);
}
