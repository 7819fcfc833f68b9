/**
 * A versioned catalog migration. Migrations are TypeScript modules (not .sql files) so that `tsc`
 * ships them in `dist/` with no copy step. The SQL is the same for PGlite and PostgreSQL; it names
 * tables unqualified (the migrator puts the catalog schema on the search_path) and writes
 * `{{schema}}` / `{{app_role}}` where it must name the schema or the application role.
 * Never edit a released migration: its checksum is recorded and checked on every start.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The tenant of the current transaction; NULL (so: no rows) when unset or empty. */
export const CURRENT_TENANT = `NULLIF(current_setting('app.tenant_id', true), '')::uuid`;

/**
 * Row-level security for a tenant table: enabled AND forced (the owner is subject too, unless it
 * has BYPASSRLS), one policy for every command, and the app role's grants.
 */
export function tenantIsolation(table: string, grants = 'SELECT, INSERT, UPDATE, DELETE'): string {
  return `
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant_isolation ON ${table}
  USING (tenant_id = ${CURRENT_TENANT})
  WITH CHECK (tenant_id = ${CURRENT_TENANT});
GRANT ${grants} ON ${table} TO {{app_role}};
CREATE INDEX ${table}_page_idx ON ${table} (tenant_id, created_at DESC, id DESC);
`;
}

/** Standard columns: a UUID id and millisecond timestamps (JS Dates round-trip exactly, so cursors do). */
export const ID = `id uuid PRIMARY KEY DEFAULT gen_random_uuid()`;
export const TENANT = `tenant_id uuid NOT NULL REFERENCES tenants (id)`;
export const CREATED = `created_at timestamptz(3) NOT NULL DEFAULT now()`;
export const UPDATED = `updated_at timestamptz(3) NOT NULL DEFAULT now()`;

export function touchUpdatedAt(table: string): string {
  return `CREATE TRIGGER ${table}_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n`;
}

export function requireActiveTenant(table: string): string {
  return `CREATE TRIGGER ${table}_require_active_tenant BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION require_active_tenant();\n`;
}
