import { CREATED, ID, TENANT, tenantIsolation, type Migration } from './migration.js';

/**
 * The event bus on PostgreSQL (docs/adr/0008): the outbox table becomes the log.
 *
 * - `events.log_seq`: the log position, assigned by the relay (admin path, one relay at a time
 *   under an advisory lock) in commit order, so a consumer reading `log_seq > offset` never skips
 *   a row that committed late; `published_at` is set at the same time. `topic` and
 *   `partition_key` are written by the publisher (or derived by the relay for raw appends).
 * - `events.target_group`: a re-published event (explicit DLQ replay) for one consumer group only;
 *   such rows repeat an event_id, so event ids are unique among untargeted rows only.
 * - `consumer_offsets.partition_key`: offsets per group, topic and partition key; the row with
 *   topic '' and partition_key '' is the group's low watermark over the tenant's log.
 * - `consumed_events`: event ids a group has processed (de-duplication by event_id).
 * - `consumer_leases`: one active member per tenant and group (others stand by; fencing on commit).
 * - `dlq_entries`: which group, topic and partition key failed (for a targeted replay).
 * - Wake-ups: inserting into `events` notifies `outbox_wakeup` (payload: the schema), the relay
 *   notifies `event_log_wakeup` (payload: `schema:tenant_id`), both delivered at commit.
 */
export const migration006: Migration = {
  version: 6,
  name: 'event-log',
  sql: `
ALTER TABLE events
  ADD COLUMN topic text,
  ADD COLUMN partition_key text,
  ADD COLUMN log_seq bigint,
  ADD COLUMN target_group text;
ALTER TABLE events ADD CONSTRAINT events_log_seq_key UNIQUE (log_seq);
ALTER TABLE events DROP CONSTRAINT events_event_id_key;
CREATE UNIQUE INDEX events_event_id_key ON events (event_id) WHERE target_group IS NULL;
CREATE INDEX events_log_idx ON events (tenant_id, log_seq) WHERE log_seq IS NOT NULL;

CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_wakeup', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;
CREATE TRIGGER events_notify_outbox AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();

ALTER TABLE consumer_offsets ADD COLUMN partition_key text NOT NULL DEFAULT '';
ALTER TABLE consumer_offsets DROP CONSTRAINT consumer_offsets_pkey;
ALTER TABLE consumer_offsets ADD CONSTRAINT consumer_offsets_pkey PRIMARY KEY (tenant_id, consumer_group, topic, partition_key);

CREATE TABLE consumed_events (
  ${ID},
  ${TENANT},
  consumer_group text NOT NULL,
  event_id text NOT NULL,
  ${CREATED},
  CONSTRAINT consumed_events_key UNIQUE (tenant_id, consumer_group, event_id)
);
${tenantIsolation('consumed_events', 'SELECT, INSERT, DELETE')}

CREATE TABLE consumer_leases (
  ${TENANT},
  consumer_group text NOT NULL,
  owner text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  ${CREATED},
  CONSTRAINT consumer_leases_pkey PRIMARY KEY (tenant_id, consumer_group)
);
ALTER TABLE consumer_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE consumer_leases FORCE ROW LEVEL SECURITY;
CREATE POLICY consumer_leases_tenant_isolation ON consumer_leases
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON consumer_leases TO {{app_role}};

ALTER TABLE dlq_entries
  ADD COLUMN consumer_group text,
  ADD COLUMN topic text,
  ADD COLUMN partition_key text;
`,
};
