import type { WorkerRegistration, WorkerRegistry, WorkerStatus } from '../../../ports/execution-queue.js';
import type { SqlDatabase, SqlRow } from '../../../ports/sql-database.js';
import { compact, iso, optIso } from '../catalog/rows.js';
import { MS } from './execution-sql.js';

function workerFromRow(row: SqlRow): WorkerStatus {
  return compact({
    id: String(row['id']),
    hostname: String(row['hostname']),
    pid: Number(row['pid']),
    capacity: { cpuMillis: Number(row['cpu_millis']), memoryBytes: Number(row['memory_bytes']) },
    concurrency: Number(row['concurrency']),
    placement: String(row['placement']),
    running: Number(row['running']),
    startedAt: iso(row['started_at']),
    heartbeatAt: iso(row['heartbeat_at']),
    stoppedAt: optIso(row['stopped_at']),
  });
}

/** The `workers` table (admin path only: it is installation infrastructure, not tenant data). */
export class PostgresWorkerRegistry implements WorkerRegistry {
  constructor(private readonly db: SqlDatabase) {}

  async register(w: WorkerRegistration, signal?: AbortSignal): Promise<void> {
    await this.db.admin.transaction(
      (sql) =>
        sql.query(
          `INSERT INTO workers (id, hostname, pid, cpu_millis, memory_bytes, concurrency, placement)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (id) DO UPDATE SET hostname = $2, pid = $3, cpu_millis = $4, memory_bytes = $5,
             concurrency = $6, placement = $7, running = 0, started_at = now(), heartbeat_at = now(), stopped_at = NULL`,
          [w.id, w.hostname, w.pid, w.capacity.cpuMillis, w.capacity.memoryBytes, w.concurrency, w.placement],
        ),
      signal,
    );
  }

  async heartbeat(workerId: string, running: number, signal?: AbortSignal): Promise<void> {
    await this.db.admin.transaction(
      (sql) =>
        sql.query('UPDATE workers SET heartbeat_at = now(), running = $2 WHERE id = $1 AND stopped_at IS NULL', [
          workerId,
          running,
        ]),
      signal,
    );
  }

  async deregister(workerId: string, signal?: AbortSignal): Promise<void> {
    await this.db.admin.transaction(
      (sql) => sql.query('UPDATE workers SET stopped_at = now(), running = 0 WHERE id = $1', [workerId]),
      signal,
    );
  }

  live(ttlMs: number, signal?: AbortSignal): Promise<WorkerStatus[]> {
    return this.db.admin.transaction(async (sql) => {
      const { rows } = await sql.query(
        `SELECT * FROM workers WHERE stopped_at IS NULL AND heartbeat_at > now() - $1 * ${MS}
         ORDER BY heartbeat_at DESC, id`,
        [ttlMs],
      );
      return rows.map(workerFromRow);
    }, signal);
  }
}
