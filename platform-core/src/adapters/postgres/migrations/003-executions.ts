import {
  CREATED,
  ID,
  TENANT,
  UPDATED,
  requireActiveTenant,
  tenantIsolation,
  touchUpdatedAt,
  type Migration,
} from './migration.js';

const STATES = `'pending', 'ready', 'running', 'checking', 'promoting', 'succeeded', 'failed', 'skipped', 'cancelled'`;

/**
 * Executions (the state machine comes with the executions module), their transitions (written by
 * a trigger on every state change, so none is ever missed), steps, snapshots and quality results.
 */
export const migration003: Migration = {
  version: 3,
  name: 'executions',
  sql: `
CREATE TABLE executions (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  product_version_id uuid NOT NULL,
  deployment_id uuid,
  state text NOT NULL DEFAULT 'pending' CONSTRAINT executions_state_check CHECK (state IN (${STATES})),
  state_reason text,
  trigger text NOT NULL CONSTRAINT executions_trigger_check CHECK (trigger IN ('manual', 'schedule', 'event', 'replay')),
  window_id text,
  idempotency_key text NOT NULL,
  correlation_id text,
  requirements jsonb NOT NULL DEFAULT '{}' CONSTRAINT executions_requirements_check CHECK (jsonb_typeof(requirements) = 'object'),
  attempt integer NOT NULL DEFAULT 0 CONSTRAINT executions_attempt_check CHECK (attempt >= 0),
  max_attempts integer NOT NULL DEFAULT 1 CONSTRAINT executions_max_attempts_check CHECK (max_attempts >= 1),
  not_before timestamptz(3),
  lease_owner text,
  lease_expires_at timestamptz(3),
  heartbeat_at timestamptz(3),
  error jsonb,
  started_at timestamptz(3),
  finished_at timestamptz(3),
  ${CREATED},
  ${UPDATED},
  CONSTRAINT executions_idempotency_key UNIQUE (tenant_id, idempotency_key),
  CONSTRAINT executions_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT executions_lease_check CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
  CONSTRAINT executions_version_fkey FOREIGN KEY (tenant_id, product_id, product_version_id)
    REFERENCES product_versions (tenant_id, product_id, id),
  CONSTRAINT executions_deployment_fkey FOREIGN KEY (tenant_id, deployment_id) REFERENCES deployments (tenant_id, id)
);
${tenantIsolation('executions')}
CREATE INDEX executions_product_idx ON executions (tenant_id, product_id, created_at DESC, id DESC);
CREATE INDEX executions_ready_idx ON executions (not_before NULLS FIRST, created_at) WHERE state = 'ready';
CREATE INDEX executions_lease_idx ON executions (lease_expires_at) WHERE lease_owner IS NOT NULL;
${touchUpdatedAt('executions')}
${requireActiveTenant('executions')}

-- A suspended (or archived) tenant cannot run: entering 'running' needs an ACTIVE tenant.
CREATE TRIGGER executions_run_requires_active_tenant BEFORE UPDATE OF state ON executions
  FOR EACH ROW WHEN (NEW.state = 'running' AND OLD.state <> 'running') EXECUTE FUNCTION require_active_tenant();

CREATE TABLE execution_transitions (
  ${ID},
  seq bigint GENERATED ALWAYS AS IDENTITY,
  ${TENANT},
  execution_id uuid NOT NULL,
  from_state text CONSTRAINT execution_transitions_from_check CHECK (from_state IN (${STATES})),
  to_state text NOT NULL CONSTRAINT execution_transitions_to_check CHECK (to_state IN (${STATES})),
  reason text,
  at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  ${CREATED},
  CONSTRAINT execution_transitions_execution_fkey FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id)
);
${tenantIsolation('execution_transitions', 'SELECT, INSERT')}
CREATE INDEX execution_transitions_execution_idx ON execution_transitions (tenant_id, execution_id, seq);
CREATE TRIGGER execution_transitions_append_only BEFORE UPDATE OR DELETE ON execution_transitions
  FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE FUNCTION record_execution_transition() RETURNS trigger LANGUAGE plpgsql SET search_path = {{schema}} AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.state <> OLD.state THEN
    INSERT INTO execution_transitions (tenant_id, execution_id, from_state, to_state, reason)
    VALUES (NEW.tenant_id, NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state, NEW.state_reason);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER executions_record_transition AFTER INSERT OR UPDATE OF state ON executions
  FOR EACH ROW EXECUTE FUNCTION record_execution_transition();

CREATE TABLE execution_steps (
  ${ID},
  ${TENANT},
  execution_id uuid NOT NULL,
  name text NOT NULL,
  ordinal integer NOT NULL,
  state text NOT NULL DEFAULT 'pending'
    CONSTRAINT execution_steps_state_check CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')),
  attempt integer NOT NULL DEFAULT 1,
  started_at timestamptz(3),
  finished_at timestamptz(3),
  duration_ms integer,
  output jsonb,
  error jsonb,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT execution_steps_name_key UNIQUE (tenant_id, execution_id, name),
  CONSTRAINT execution_steps_execution_fkey FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id)
);
${tenantIsolation('execution_steps')}
CREATE INDEX execution_steps_execution_idx ON execution_steps (tenant_id, execution_id, ordinal);
${touchUpdatedAt('execution_steps')}

CREATE TABLE snapshots (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  product_version_id uuid,
  execution_id uuid,
  state text NOT NULL DEFAULT 'staged'
    CONSTRAINT snapshots_state_check CHECK (state IN ('staged', 'committed', 'promoted', 'discarded')),
  window_id text,
  location text NOT NULL,
  row_count bigint,
  schema jsonb,
  stats jsonb,
  committed_at timestamptz(3),
  promoted_at timestamptz(3),
  ${CREATED},
  ${UPDATED},
  CONSTRAINT snapshots_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT snapshots_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CONSTRAINT snapshots_execution_fkey FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id)
);
${tenantIsolation('snapshots')}
CREATE INDEX snapshots_product_idx ON snapshots (tenant_id, product_id, created_at DESC, id DESC);
CREATE INDEX snapshots_committed_idx ON snapshots (tenant_id, product_id, committed_at DESC)
  WHERE state IN ('committed', 'promoted');
${touchUpdatedAt('snapshots')}

CREATE TABLE quality_results (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  execution_id uuid,
  snapshot_id uuid,
  check_name text NOT NULL,
  severity text NOT NULL,
  blocking boolean NOT NULL DEFAULT false,
  status text NOT NULL CONSTRAINT quality_results_status_check CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
  observed jsonb,
  sample jsonb,
  ${CREATED},
  CONSTRAINT quality_results_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CONSTRAINT quality_results_execution_fkey FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id),
  CONSTRAINT quality_results_snapshot_fkey FOREIGN KEY (tenant_id, snapshot_id) REFERENCES snapshots (tenant_id, id)
);
${tenantIsolation('quality_results')}
CREATE INDEX quality_results_execution_idx ON quality_results (tenant_id, execution_id);
CREATE INDEX quality_results_product_idx ON quality_results (tenant_id, product_id, created_at DESC, id DESC);
`,
};
