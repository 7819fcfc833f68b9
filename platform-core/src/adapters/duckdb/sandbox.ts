import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineLimits } from '../../ports/engine.js';
import { basename, dirname, join } from 'node:path';
import { literal } from './duck-sql.js';
import { takeInstance } from './spare-instances.js';

/** One DuckDB instance per run, so nothing of another run or tenant is ever visible. */
export interface DuckDbSession {
  readonly connection: DuckDBConnection;
  /**
   * A second connection for the statements Hekima itself generates over known relations (key
   * checks): its GROUP BY on dense integer keys uses a direct-indexed table (`perfect_ht_threshold`)
   * instead of hashing. Never given user SQL: that table is sized by the key range, not the data.
   */
  readonly verifier: DuckDBConnection;
  close(): void;
}

/** Key ranges up to 2^20 (about a million values) group by direct index on the verifier. */
const VERIFIER_PERFECT_HASH_BITS = 20;

function instanceOptions(limits: EngineLimits | undefined): Record<string, string> {
  const options: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
  if (limits?.threads !== undefined) options['threads'] = String(Math.max(1, Math.floor(limits.threads)));
  if (limits?.memoryBytes !== undefined)
    options['memory_limit'] = `${Math.max(16, Math.floor(limits.memoryBytes / 2 ** 20))}MiB`;
  return options;
}

/** A fresh (never used) in-memory instance with the run's threads and memory limit, in UTC. */
export async function openSession(limits: EngineLimits | undefined): Promise<DuckDbSession> {
  const instance = await takeInstance(instanceOptions(limits));
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  const verifier = await instance.connect();
  await verifier.run(`SET TimeZone = 'UTC'`);
  await verifier.run(`SET perfect_ht_threshold = ${VERIFIER_PERFECT_HASH_BITS}`);
  return {
    connection,
    verifier,
    close() {
      verifier.closeSync();
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Locks a session once its inputs are bound: no file system access (read_csv, read_parquet,
 * COPY, ATTACH, replacement scans of paths) except reading the `readable` input files (the
 * inputs' views stream them) and writing `outputPath`, and no configuration change (so the lock
 * cannot be lifted by the logic).
 */
export async function lockSession(
  connection: DuckDBConnection,
  outputPath?: string,
  readable: readonly string[] = [],
): Promise<void> {
  const writable = outputPath === undefined ? [] : [outputPath, overwriteTemp(outputPath)];
  const allowed = [...new Set([...readable, ...writable])];
  if (allowed.length > 0) await connection.run(`SET allowed_paths = [${allowed.map(literal).join(', ')}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/** Where DuckDB's COPY writes first when the target exists (then renames it over the target). */
function overwriteTemp(path: string): string {
  return join(dirname(path), `tmp_${basename(path)}`);
}
