import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { EngineLimits } from '../../ports/engine.js';
import { literal } from './duck-sql.js';

/** One DuckDB instance per run, so nothing of another run or tenant is ever visible. */
export interface DuckDbSession {
  readonly connection: DuckDBConnection;
  close(): void;
}

function instanceOptions(limits: EngineLimits | undefined): Record<string, string> {
  const options: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
  if (limits?.threads !== undefined) options['threads'] = String(Math.max(1, Math.floor(limits.threads)));
  if (limits?.memoryBytes !== undefined)
    options['memory_limit'] = `${Math.max(16, Math.floor(limits.memoryBytes / 2 ** 20))}MiB`;
  return options;
}

/** A fresh in-memory instance with the run's threads and memory limit, in UTC. */
export async function openSession(limits: EngineLimits | undefined): Promise<DuckDbSession> {
  const instance = await DuckDBInstance.create(':memory:', instanceOptions(limits));
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Locks a session once its inputs are loaded: no file system access (read_csv, read_parquet,
 * COPY, ATTACH, replacement scans of paths) except writing `outputPath`, and no configuration
 * change (so the lock cannot be lifted by the logic).
 */
export async function lockSession(connection: DuckDBConnection, outputPath?: string): Promise<void> {
  if (outputPath !== undefined) await connection.run(`SET allowed_paths = [${literal(outputPath)}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
