import { CREATED, ID, TENANT, tenantIsolation, type Migration } from './migration.js';

/**
 * The per-tenant, hash-chained audit trail. Append-only twice over: the app role is granted only
 * SELECT and INSERT, and triggers refuse UPDATE, DELETE and TRUNCATE from anyone (an operator who
 * must repair a row disables the trigger explicitly, and `audit verify` will notice).
 */
export const migration005: Migration = {
  version: 5,
  name: 'audit-log',
  sql: `
CREATE TABLE audit_log (
  ${ID},
  ${TENANT},
  seq bigint NOT NULL CONSTRAINT audit_log_seq_check CHECK (seq >= 1),
  event_id text NOT NULL,
  event_type text NOT NULL,
  correlation_id text,
  product_id uuid,
  actor text,
  payload jsonb NOT NULL,
  occurred_at timestamptz(3) NOT NULL,
  prev_hash text NOT NULL CONSTRAINT audit_log_prev_hash_check CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CONSTRAINT audit_log_hash_check CHECK (hash ~ '^[0-9a-f]{64}$'),
  ${CREATED},
  CONSTRAINT audit_log_seq_key UNIQUE (tenant_id, seq),
  CONSTRAINT audit_log_event_key UNIQUE (tenant_id, event_id)
);
${tenantIsolation('audit_log', 'SELECT, INSERT')}
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {{app_role}};
CREATE INDEX audit_log_type_idx ON audit_log (tenant_id, event_type, created_at DESC, id DESC);
CREATE INDEX audit_log_product_idx ON audit_log (tenant_id, product_id, created_at DESC, id DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION reject_change();
`,
};
