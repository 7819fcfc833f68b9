import { hostname } from 'node:os';
import {
  ExecutionWorker,
  type ExecutionWorkerOptions,
} from '../../../platform-core/src/application/executions/execution-worker.js';
import { PostgresExecutionQueue } from '../../../platform-core/src/adapters/postgres/executions/postgres-execution-queue.js';
import { PostgresWorkerRegistry } from '../../../platform-core/src/adapters/postgres/executions/postgres-worker-registry.js';
import { SystemClock } from '../../../platform-core/src/adapters/system/system-clock.js';
import { akoScorePolicy } from '../../../platform-core/src/domain/execution/placement.js';
import type { ExecutionState } from '../../../platform-core/src/domain/catalog/execution.js';
import type { SqlDatabase } from '../../../platform-core/src/ports/sql-database.js';
import { silentLogger } from './step-functions.js';

export type WorkerOverrides = Partial<ExecutionWorkerOptions> & Pick<ExecutionWorkerOptions, 'handler' | 'runner'>;

/** An in-process worker with short timings (lease 1 s), ready to `run(signal)`. */
export function testWorker(db: SqlDatabase, id: string, o: WorkerOverrides): ExecutionWorker {
  return new ExecutionWorker({
    id,
    hostname: hostname(),
    pid: process.pid,
    queue: new PostgresExecutionQueue(db),
    registry: new PostgresWorkerRegistry(db),
    placement: akoScorePolicy(0.5),
    capacity: { cpuMillis: 4000, memoryBytes: 4 * 2 ** 30 },
    concurrency: 2,
    logger: silentLogger,
    clock: new SystemClock(),
    leaseMs: 1000,
    pollMs: 100,
    maintainMs: 200,
    drainMs: 2000,
    ...o,
  });
}

/** Counts executions by state (admin path), optionally for some ids only. */
export async function stateCounts(
  db: SqlDatabase,
  ids?: readonly string[],
): Promise<Partial<Record<ExecutionState, number>>> {
  return db.admin.transaction(async (sql) => {
    const { rows } = await sql.query(
      `SELECT state, count(*) AS n FROM executions ${ids ? 'WHERE id = ANY($1::uuid[])' : ''} GROUP BY state`,
      ids ? [ids] : [],
    );
    return Object.fromEntries(rows.map((r) => [String(r['state']), Number(r['n'])]));
  });
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
