import { CREATED, ID, TENANT, UPDATED, tenantIsolation, touchUpdatedAt, type Migration } from './migration.js';

/**
 * The transactional outbox (`events`: written in the same transaction as the state change it
 * announces; tenants insert and read, only the relay — admin path — marks rows published),
 * consumer offsets and the dead-letter queue.
 */
export const migration004: Migration = {
  version: 4,
  name: 'events',
  sql: `
CREATE TABLE events (
  ${ID},
  seq bigint GENERATED ALWAYS AS IDENTITY,
  ${TENANT},
  event_id text NOT NULL CONSTRAINT events_event_id_key UNIQUE,
  type text NOT NULL,
  correlation_id text,
  product_id uuid,
  payload jsonb NOT NULL CONSTRAINT events_payload_check CHECK (jsonb_typeof(payload) = 'object'),
  occurred_at timestamptz(3) NOT NULL DEFAULT now(),
  ${CREATED},
  published_at timestamptz(3),
  CONSTRAINT events_seq_key UNIQUE (seq)
);
${tenantIsolation('events', 'SELECT, INSERT')}
CREATE INDEX events_unpublished_idx ON events (seq) WHERE published_at IS NULL;
CREATE INDEX events_correlation_idx ON events (tenant_id, correlation_id);
CREATE INDEX events_type_idx ON events (tenant_id, type, created_at DESC, id DESC);

CREATE TABLE consumer_offsets (
  ${TENANT},
  consumer_group text NOT NULL,
  topic text NOT NULL,
  position bigint NOT NULL DEFAULT 0,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT consumer_offsets_pkey PRIMARY KEY (tenant_id, consumer_group, topic)
);
ALTER TABLE consumer_offsets ENABLE ROW LEVEL SECURITY;
ALTER TABLE consumer_offsets FORCE ROW LEVEL SECURITY;
CREATE POLICY consumer_offsets_tenant_isolation ON consumer_offsets
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON consumer_offsets TO {{app_role}};
${touchUpdatedAt('consumer_offsets')}

CREATE TABLE dlq_entries (
  ${ID},
  ${TENANT},
  stage text NOT NULL
    CONSTRAINT dlq_entries_stage_check CHECK (stage IN ('parse_failure', 'correlation', 'quality_gate', 'execution', 'event_publish')),
  status text NOT NULL DEFAULT 'pending'
    CONSTRAINT dlq_entries_status_check CHECK (status IN ('pending', 'replayed', 'acknowledged', 'purged')),
  event_id text,
  event jsonb NOT NULL,
  error jsonb NOT NULL,
  attempts integer NOT NULL CONSTRAINT dlq_entries_attempts_check CHECK (attempts >= 0),
  product_id uuid,
  correlation_id text,
  ${CREATED},
  ${UPDATED},
  resolved_at timestamptz(3)
);
${tenantIsolation('dlq_entries')}
CREATE INDEX dlq_entries_stage_idx ON dlq_entries (tenant_id, stage, status, created_at DESC, id DESC);
${touchUpdatedAt('dlq_entries')}
`,
};
