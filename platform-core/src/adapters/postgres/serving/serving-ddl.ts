import type { AdminExecutor } from '../../../ports/sql-database.js';
import { CURRENT_TENANT } from '../migrations/migration.js';
import { quoteIdentifier } from '../sql-identifiers.js';
import { boundedIdentifier, previousColumn, q, qualified, type TableShape } from './serving-names.js';

/**
 * Creates (or widens) a serving table on the ADMIN path: a serving table is shared by every tenant
 * (like a catalog table), so creating it is schema maintenance, not work on behalf of one tenant.
 * RLS is enabled and forced with the catalog's policy; the app role gets DML only. Idempotent:
 * `IF NOT EXISTS` everywhere, new columns added as nullable, under an advisory lock per table.
 * Returns how a timeseries table is stored.
 */
export async function ensureServingTable(
  sql: AdminExecutor,
  shape: TableShape,
  names: { readonly catalogSchema: string; readonly appRole: string },
): Promise<'hypertable' | 'brin' | undefined> {
  const table = qualified(shape);
  const schema = quoteIdentifier(shape.schema);
  const role = quoteIdentifier(names.appRole);
  // The schema first (its GRANT is shared by every table: concurrent GRANTs fail with "tuple
  // concurrently updated"), then the table; always in this order.
  await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hekima.serving.${shape.schema}`]);
  await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `hekima.serving.${shape.schema}.${shape.table}`,
  ]);
  const keyed = new Set(shape.key);
  const columns = shape.columns.map(
    (c) => `${q(c.name)} ${c.type}${keyed.has(c.name) || !c.nullable ? ' NOT NULL' : ''}`,
  );
  const history =
    shape.history === 'type_2'
      ? ['valid_from timestamptz NOT NULL', 'valid_to timestamptz', 'is_current boolean NOT NULL DEFAULT true']
      : shape.history === 'type_3'
        ? shape.tracked.map((t) => `${previousColumn(t)} ${shape.columns.find((c) => c.name === t)?.type ?? 'text'}`)
        : [];
  const pk = ['tenant_id', ...shape.key, ...(shape.history === 'type_2' ? ['valid_from'] : [])].map(q).join(', ');
  const policy = boundedIdentifier(`${shape.table}_tenant_isolation`);
  await sql.exec(`
CREATE SCHEMA IF NOT EXISTS ${schema};
GRANT USAGE ON SCHEMA ${schema} TO ${role};
CREATE TABLE IF NOT EXISTS ${table} (
  tenant_id uuid NOT NULL REFERENCES ${quoteIdentifier(names.catalogSchema)}.tenants (id),
  ${[...columns, ...history].join(',\n  ')},
  hekima_snapshot_id uuid NOT NULL,
  PRIMARY KEY (${pk})
);
${[...shape.columns.map((c) => `${q(c.name)} ${c.type}`), ...(shape.history === 'type_3' ? history : [])]
  .map((c) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${c};`)
  .join('\n')}
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = '${shape.schema}' AND tablename = '${shape.table}') THEN
    CREATE POLICY ${policy} ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT});
  END IF;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${role};
CREATE INDEX IF NOT EXISTS ${boundedIdentifier(`${shape.table}_snapshot_idx`)} ON ${table} (tenant_id, hekima_snapshot_id);
${shape.indexes
  .map(
    (cols) =>
      `CREATE INDEX IF NOT EXISTS ${boundedIdentifier(`${shape.table}_${cols.join('_')}_idx`)} ON ${table} (tenant_id, ${cols.map(q).join(', ')});`,
  )
  .join('\n')}
${
  shape.history === 'type_2'
    ? `CREATE UNIQUE INDEX IF NOT EXISTS ${boundedIdentifier(`${shape.table}_current_key`)} ON ${table} (tenant_id, ${shape.key.map(q).join(', ')}) WHERE is_current;`
    : ''
}`);
  if (shape.timeColumn === null) return undefined;
  const timescale = await sql.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  if (timescale.rowCount > 0) {
    await sql.query(`SELECT create_hypertable($1::regclass, $2::name, if_not_exists => true, migrate_data => true)`, [
      `${shape.schema}.${shape.table}`,
      shape.timeColumn,
    ]);
    return 'hypertable';
  }
  await sql.exec(
    `CREATE INDEX IF NOT EXISTS ${boundedIdentifier(`${shape.table}_${shape.timeColumn}_brin`)} ON ${table} USING brin (${q(shape.timeColumn)});`,
  );
  return 'brin';
}
