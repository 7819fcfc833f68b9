import { CREATED, ID, TENANT, UPDATED, tenantIsolation, touchUpdatedAt, type Migration } from './migration.js';

/**
 * The execution runtime (docs/adr/0009): claim fencing and resume counts on executions, the state
 * machine of `domain/execution/execution-lifecycle.ts` enforced here too (a test compares them),
 * the worker registry (installation-wide: the app role cannot read it), and the correlation
 * engine's durable state. Version 6 is left to the event bus.
 */
export const migration007: Migration = {
  version: 7,
  name: 'execution-runtime',
  sql: `
ALTER TABLE executions
  ADD COLUMN claim_token uuid,
  ADD COLUMN resumes integer NOT NULL DEFAULT 0 CONSTRAINT executions_resumes_check CHECK (resumes >= 0),
  ADD COLUMN retry_policy jsonb CONSTRAINT executions_retry_policy_check CHECK (jsonb_typeof(retry_policy) = 'object'),
  ADD COLUMN inputs jsonb CONSTRAINT executions_inputs_check CHECK (jsonb_typeof(inputs) = 'object'),
  ADD CONSTRAINT executions_claim_check CHECK (claim_token IS NULL OR lease_owner IS NOT NULL);

-- New executions start pending; every later move follows the state machine. (Named to fire after
-- executions_run_requires_active_tenant: a suspended tenant hears that first.)
CREATE FUNCTION executions_guard_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'pending' THEN
      RAISE EXCEPTION 'an execution starts pending, not %', NEW.state USING ERRCODE = 'HK001';
    END IF;
  ELSIF NEW.state <> OLD.state AND NOT (
       (OLD.state = 'pending' AND NEW.state IN ('ready', 'skipped', 'failed', 'cancelled'))
    OR (OLD.state = 'ready' AND NEW.state IN ('running', 'skipped', 'failed', 'cancelled'))
    OR (OLD.state = 'running' AND NEW.state IN ('checking', 'ready', 'failed', 'cancelled'))
    OR (OLD.state = 'checking' AND NEW.state IN ('promoting', 'ready', 'failed', 'cancelled'))
    OR (OLD.state = 'promoting' AND NEW.state IN ('succeeded', 'ready', 'failed', 'cancelled'))) THEN
    RAISE EXCEPTION 'an execution cannot go from % to %', OLD.state, NEW.state USING ERRCODE = 'HK001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER executions_state_machine BEFORE INSERT OR UPDATE OF state ON executions
  FOR EACH ROW EXECUTE FUNCTION executions_guard_state();

CREATE TABLE workers (
  id text PRIMARY KEY CONSTRAINT workers_id_check CHECK (length(id) BETWEEN 1 AND 200),
  hostname text NOT NULL,
  pid integer NOT NULL,
  cpu_millis bigint NOT NULL CONSTRAINT workers_cpu_check CHECK (cpu_millis >= 0),
  memory_bytes bigint NOT NULL CONSTRAINT workers_memory_check CHECK (memory_bytes >= 0),
  concurrency integer NOT NULL CONSTRAINT workers_concurrency_check CHECK (concurrency >= 1),
  placement text NOT NULL,
  running integer NOT NULL DEFAULT 0,
  started_at timestamptz(3) NOT NULL DEFAULT now(),
  heartbeat_at timestamptz(3) NOT NULL DEFAULT now(),
  stopped_at timestamptz(3)
);
-- Not tenant data: only the admin path (the workers themselves) reads and writes it.
ALTER TABLE workers ENABLE ROW LEVEL SECURITY;
ALTER TABLE workers FORCE ROW LEVEL SECURITY;
CREATE POLICY workers_admin_only ON workers USING (false) WITH CHECK (false);
CREATE INDEX workers_live_idx ON workers (heartbeat_at DESC) WHERE stopped_at IS NULL;

CREATE TABLE correlations (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  window_id text NOT NULL,
  state text NOT NULL
    CONSTRAINT correlations_state_check CHECK (state IN ('open', 'complete', 'triggered', 'failed', 'carry')),
  consumer jsonb NOT NULL CONSTRAINT correlations_consumer_check CHECK (jsonb_typeof(consumer) = 'object'),
  inputs jsonb NOT NULL DEFAULT '{}' CONSTRAINT correlations_inputs_check CHECK (jsonb_typeof(inputs) = 'object'),
  opened_at timestamptz(3) NOT NULL,
  deadline_at timestamptz(3),
  reason text,
  execution_id uuid,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT correlations_window_key UNIQUE (tenant_id, product_id, window_id),
  CONSTRAINT correlations_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CONSTRAINT correlations_execution_fkey FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id)
);
${tenantIsolation('correlations')}
CREATE INDEX correlations_due_idx ON correlations (deadline_at) WHERE state = 'open';
CREATE INDEX correlations_complete_idx ON correlations (updated_at) WHERE state = 'complete';
${touchUpdatedAt('correlations')}

-- Events a product's correlation already handled (de-duplication by event_id).
CREATE TABLE correlation_events (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  event_id text NOT NULL,
  ${CREATED},
  CONSTRAINT correlation_events_key UNIQUE (tenant_id, product_id, event_id),
  CONSTRAINT correlation_events_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
${tenantIsolation('correlation_events', 'SELECT, INSERT, DELETE')}
`,
};
