import type { CheckEngine, CheckJsonRow } from '../../ports/check-engine.js';
import type { ServedRowSource } from '../../ports/serving-store.js';

/**
 * Rows per batch read from a snapshot: a multiple of the stores' write unit (1,000 rows per
 * PostgreSQL statement and per Redis pipeline), so no short statement is sent mid-stream, and
 * small enough that a batch of wide rows stays a few MB of heap whatever the snapshot's size.
 */
export const SNAPSHOT_BATCH_ROWS = 5000;

/**
 * The rows of a snapshot file as a re-readable source of batches of JSON values (BIGINT/DECIMAL as
 * text, dates ISO): the form serving stores take. Each `batches()` call opens its own locked
 * DuckDB session that can read only that file, streams it, and closes the session when the loop
 * ends (finished, broken out of, failed or aborted). Nothing is read until a store iterates.
 */
export function snapshotBatches(
  engine: CheckEngine,
  path: string,
  batchRows: number = SNAPSHOT_BATCH_ROWS,
): ServedRowSource {
  return {
    async *batches(signal?: AbortSignal) {
      const session = await engine.open([{ name: 'snapshot', path }], undefined, signal);
      try {
        yield* session.stream('SELECT * FROM "snapshot"', batchRows, signal);
      } finally {
        session.close();
      }
    },
  };
}

/**
 * Every row of a snapshot file in one array, in the same JSON form. Only for snapshots known to
 * be small (tests, samples): serving streams with {@link snapshotBatches} instead.
 */
export async function snapshotRows(engine: CheckEngine, path: string, signal?: AbortSignal): Promise<CheckJsonRow[]> {
  const rows: CheckJsonRow[] = [];
  for await (const batch of snapshotBatches(engine, path).batches(signal)) rows.push(...batch);
  return rows;
}
