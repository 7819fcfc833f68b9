import { describe, expect, it } from 'vitest';
import { col, engine } from './support/engine-helpers.js';

/**
 * An abort that arrives while the engine is still opening its session (before it listens for
 * aborts) must still stop the run: the query is never started, and the run rejects at once.
 */
describe('DuckDbEngine aborted while it opens its session', () => {
  it('does not start a query that was aborted during set-up', async () => {
    const controller = new AbortController();
    const run = engine.run({
      // Minutes of work if it ever starts.
      logic: {
        kind: 'sql',
        file: 'logic/transform.sql',
        sql: 'SELECT count(*) AS n FROM range(400000000000) r WHERE hash(r.range) % 7 = 0',
      },
      inputs: [],
      output: [col('n', 'integer')],
      signal: controller.signal,
    });
    // The next macrotask: the engine is past its first abort check, awaiting its instance.
    setImmediate(() => controller.abort(new Error('stop')));
    await expect(run).rejects.toThrow();
  }, 60_000);
});
