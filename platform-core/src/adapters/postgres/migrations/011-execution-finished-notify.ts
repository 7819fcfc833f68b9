import type { Migration } from './migration.js';

/**
 * A notification when an execution reaches a terminal state (succeeded, failed, skipped,
 * cancelled), whatever path got it there (a worker's finish, a cancel, maintenance giving up a
 * lease): channel `execution_finished`, payload `<schema>:<execution id>`, delivered at commit.
 * `hekima run` waiting for an execution another process leased listens to it instead of polling
 * (application/run/run-outcomes.ts, `EXECUTION_FINISHED_CHANNEL`). A hint only: the waiter
 * re-reads the row, and still polls slowly in case a notification is lost.
 */
export const migration011: Migration = {
  version: 11,
  name: 'execution-finished-notify',
  sql: `
CREATE FUNCTION notify_execution_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('execution_finished', TG_TABLE_SCHEMA || ':' || NEW.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER executions_notify_finished AFTER UPDATE OF state ON executions
  FOR EACH ROW WHEN (NEW.state IN ('succeeded', 'failed', 'skipped', 'cancelled') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION notify_execution_finished();
`,
};
