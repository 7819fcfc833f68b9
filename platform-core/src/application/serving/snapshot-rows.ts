import type { JsonValue } from '../../domain/json.js';
import type { CheckEngine } from '../../ports/check-engine.js';

/**
 * Every row of a snapshot file, as JSON values (BIGINT/DECIMAL as text, dates ISO), read in a
 * locked DuckDB session that can read only that file. Serving stores take rows in this form.
 */
export async function snapshotRows(
  engine: CheckEngine,
  path: string,
  signal?: AbortSignal,
): Promise<readonly Readonly<Record<string, JsonValue>>[]> {
  const session = await engine.open([{ name: 'snapshot', path }], undefined, signal);
  try {
    return (await session.query('SELECT * FROM "snapshot"', signal)).json;
  } finally {
    session.close();
  }
}
