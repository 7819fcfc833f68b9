/**
 * One SQL code path over PostgreSQL (`pg`, server mode) and PGlite (embedded): the same SQL text,
 * the same migrations and the same row-level security on both. See docs/adr/0007.
 *
 * Two doors, and nothing else:
 *
 * - `withTenant(tenantId, fn)` — the application path. `fn` runs in ONE transaction that starts
 *   with `SET LOCAL ROLE <app role>` (NOSUPERUSER NOBYPASSRLS, so RLS applies even though the
 *   connecting user is a superuser, as PGlite's always is) and
 *   `set_config('app.tenant_id', <tenantId>, true)`. Every policy compares `tenant_id` with that
 *   setting; without it a query sees no rows (fail closed). Commits when `fn` resolves, rolls back
 *   when it throws. All tenant-scoped catalog work goes through this door.
 *
 * - `admin.transaction(fn)` — runs as the connecting (owner) user, outside RLS. Allowed uses only:
 *   1. migrations and the app role's grants (the migrator);
 *   2. tenant provisioning and lifecycle (create, suspend, archive: the control plane);
 *   3. cross-tenant infrastructure that cannot name one tenant up front: the outbox relay (read
 *      unpublished events of all tenants, mark them published), queue maintenance and the
 *      worker's claim of ready executions across tenants, lease expiry sweeps;
 *   4. test set-up and tear-down.
 *   Anything that acts on behalf of a tenant — including a worker once it knows which tenant an
 *   execution belongs to — switches to `withTenant`. Admin code still filters by tenant_id
 *   wherever it touches tenant rows.
 *
 * Transactions never nest: calling either door from inside a callback of the same database throws
 * InvalidState `nested_transaction` (on PGlite's single connection it would deadlock); pass the
 * executor down instead. Driver errors come back as typed errors (see `adapters/postgres/driver-errors.ts`).
 */

/**
 * A value bound to a `$n` placeholder. JSON goes as a string (`JSON.stringify(value)`) with a
 * `$n::jsonb` cast; instants as ISO strings or Dates with `$n::timestamptz`; arrays of text with
 * `$n::text[]` (or `::uuid[]`).
 */
export type SqlParam = string | number | boolean | null | Date | readonly string[];

/**
 * A result row as the drivers give it, normalised to be identical on both: int8 and numeric are
 * strings, timestamptz is a Date, json/jsonb are parsed, uuid is a string.
 */
export type SqlRow = Record<string, unknown>;

export interface SqlResult<Row extends SqlRow = SqlRow> {
  readonly rows: Row[];
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE). */
  readonly rowCount: number;
}

/** Statements inside one open transaction. Valid only while the callback that received it runs. */
export interface SqlExecutor {
  query<Row extends SqlRow = SqlRow>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>>;
}

export interface AdminExecutor extends SqlExecutor {
  /** Runs a script of several statements without parameters (migrations, DDL). */
  exec(script: string): Promise<void>;
}

export interface AdminSql {
  transaction<T>(fn: (sql: AdminExecutor) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type SqlDriver = 'postgres' | 'pglite';

export interface SqlDatabase {
  readonly driver: SqlDriver;
  /** The PostgreSQL schema holding the catalog (on the search_path of every session). */
  readonly schema: string;
  /** The role `withTenant` switches to. */
  readonly appRole: string;
  /**
   * Runs `fn` in one transaction as the app role, scoped to `tenantId` (a UUID; anything else is
   * InvalidArgument `invalid_tenant_id`). The signal cancels waiting for a connection and every
   * statement not yet sent (Cancelled `aborted`); the transaction then rolls back.
   */
  withTenant<T>(tenantId: string, fn: (sql: SqlExecutor) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The owner path; see the module comment for what may use it. */
  readonly admin: AdminSql;
  /**
   * Subscribes to `NOTIFY channel` (wake-ups, not delivery: payloads may be lost on reconnects).
   * Returns the unsubscribe function.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Waits for running transactions, then closes the pool / the embedded database. */
  close(): Promise<void>;
}
