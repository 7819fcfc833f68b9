import type { Migration } from './migration.js';

/**
 * Event log retention (docs/adr/0017): the app role may delete event rows, as the tenant, but a
 * restrictive RLS policy lets it delete only rows every reader is done with. The row is relayed,
 * it is recorded in the tenant's audit trail, and on the PostgreSQL log (`log_seq` set) it is at
 * or below the watermark of every consumer group of the tenant and is not the tenant's newest row
 * (so the relay's head, `max(log_seq)`, never goes back). The age is the sweeper's business.
 * UPDATE stays ungranted: a kept event is never changed.
 */
export const migration012: Migration = {
  version: 12,
  name: 'event-log-retention',
  sql: `
GRANT DELETE ON events TO {{app_role}};
CREATE POLICY events_delete_when_done ON events AS RESTRICTIVE FOR DELETE TO {{app_role}}
  USING (
    published_at IS NOT NULL
    AND EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = events.tenant_id AND a.event_id = events.event_id)
    AND (
      log_seq IS NULL
      OR (
        log_seq <= (SELECT min(o.position) FROM consumer_offsets o
                     WHERE o.tenant_id = events.tenant_id AND o.topic = '' AND o.partition_key = '')
        AND log_seq < (SELECT max(h.log_seq) FROM events h WHERE h.tenant_id = events.tenant_id)
      )
    )
  );
`,
};
