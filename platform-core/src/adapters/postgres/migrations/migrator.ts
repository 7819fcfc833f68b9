import { createHash } from 'node:crypto';
import { forbidden, permanent, throwIfAborted } from '../../../domain/errors.js';
import type { AdminExecutor, SqlDatabase } from '../../../ports/sql-database.js';
import { quoteIdentifier } from '../sql-identifiers.js';
import { CATALOG_MIGRATIONS } from './index.js';
import type { Migration } from './migration.js';

export interface MigrationReport {
  /** Versions applied by this call, in order. */
  readonly applied: readonly number[];
  /** The schema's version after the call. */
  readonly version: number;
}

export interface MigrateOptions {
  readonly migrations?: readonly Migration[];
  readonly signal?: AbortSignal;
}

/**
 * Brings the catalog schema up to date; safe to call on every start, from many processes at once.
 *
 * 1. Bootstrap (one transaction): checks that the connecting user may bypass RLS (superuser or
 *    BYPASSRLS — the admin path needs it), creates the app role if missing (NOLOGIN NOSUPERUSER
 *    NOBYPASSRLS; cluster-wide, so a concurrent creation by another schema's migrator is
 *    tolerated), the schema, and the `schema_migrations` table.
 * 2. Each pending migration in its own transaction, re-checked under the lock, recorded with its
 *    checksum. A recorded checksum that differs (an edited migration) or a recorded version this
 *    build does not know (a newer catalog) is Permanent `migration_mismatch`.
 *
 * Every transaction holds `pg_advisory_xact_lock` on a key derived from the schema name, so two
 * servers never migrate the same schema at once (PGlite has one connection; the lock is a no-op).
 */
export async function migrate(db: SqlDatabase, options: MigrateOptions = {}): Promise<MigrationReport> {
  const migrations = [...(options.migrations ?? CATALOG_MIGRATIONS)].sort((a, b) => a.version - b.version);
  const { signal } = options;
  const schema = quoteIdentifier(db.schema, 'schema name');
  const role = quoteIdentifier(db.appRole, 'role name');
  const lockKey = `hekima.migrate.${db.schema}`;
  const begin = async (sql: AdminExecutor) => {
    await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
    await sql.exec(`SET LOCAL search_path TO ${schema}`);
  };

  const recorded = await db.admin.transaction(async (sql) => {
    await begin(sql);
    await assertCanBypassRls(sql);
    await sql.exec(bootstrapScript(schema, role, db.appRole));
    const rows = await sql.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    return new Map(rows.rows.map((r) => [Number(r.version), r.checksum]));
  }, signal);

  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...recorded.keys()].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw permanent(
      'migration_mismatch',
      `The catalog has migrations this build does not know (${unknown.join(', ')}): upgrade Hekima.`,
      {
        details: { versions: unknown },
      },
    );
  }

  const applied: number[] = [];
  for (const migration of migrations) {
    throwIfAborted(signal, 'migration');
    const checksum = checksumOf(migration);
    const seen = recorded.get(migration.version);
    if (seen !== undefined) {
      assertChecksum(migration, seen, checksum);
      continue;
    }
    const done = await db.admin.transaction(async (sql) => {
      await begin(sql);
      const again = await sql.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      const other = again.rows[0];
      if (other) {
        assertChecksum(migration, other.checksum, checksum);
        return false;
      }
      await sql.exec(migration.sql.replaceAll('{{schema}}', schema).replaceAll('{{app_role}}', role));
      await sql.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum,
      ]);
      return true;
    }, signal);
    if (done) applied.push(migration.version);
  }
  return { applied, version: migrations.at(-1)?.version ?? 0 };
}

export function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

function assertChecksum(migration: Migration, recorded: string, expected: string): void {
  if (recorded !== expected) {
    throw permanent(
      'migration_mismatch',
      `Migration ${migration.version} (${migration.name}) was changed after it was applied.`,
      {
        details: { version: migration.version },
      },
    );
  }
}

async function assertCanBypassRls(sql: AdminExecutor): Promise<void> {
  const { rows } = await sql.query<{ ok: boolean }>(
    'SELECT rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = current_user',
  );
  if (rows[0]?.ok !== true) {
    throw forbidden(
      'owner_cannot_bypass_rls',
      'The catalog database user must be a superuser or have BYPASSRLS (it runs migrations and the admin path); tenant work still runs under RLS.',
    );
  }
}

/** The idempotent set-up run before migrations (exported so a prebuilt catalog template can be keyed by it). */
export function bootstrapScript(schema: string, role: string, roleName: string): string {
  return `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${roleName}') THEN
    CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- created concurrently by another migrator
END $$;
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${roleName}', 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', '${roleName}', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;
CREATE SCHEMA IF NOT EXISTS ${schema};
GRANT USAGE ON SCHEMA ${schema} TO ${role};
CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz(3) NOT NULL DEFAULT now()
);
`;
}
