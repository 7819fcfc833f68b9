import { afterAll, describe, expect, it } from 'vitest';
import { closeSpares, takeInstance } from '../../platform-core/src/adapters/duckdb/spare-instances.js';

/**
 * Instances are made one step ahead, but each is handed out once: what one run left in its
 * instance (tables, settings) is never seen by the next, and the options asked for are the
 * options it has.
 */
describe('DuckDB instances made ahead', () => {
  afterAll(closeSpares);

  it('hands out a fresh instance each time, with the options asked for', async () => {
    const options = { threads: '1', memory_limit: '64MiB' };
    const seen = new Set<unknown>();
    for (let i = 0; i < 3; i++) {
      const instance = await takeInstance(options);
      expect(seen.has(instance)).toBe(false);
      seen.add(instance);
      const c = await instance.connect();
      const tables = await c.runAndReadAll(`SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = 'left_behind'`);
      expect(Number(tables.getRows()[0]?.[0])).toBe(0);
      const locked = await c.runAndReadAll(`SELECT current_setting('lock_configuration')`);
      expect(locked.getRows()[0]?.[0]).toBe(false);
      const threads = await c.runAndReadAll(`SELECT current_setting('threads')`);
      expect(Number(threads.getRows()[0]?.[0])).toBe(1);
      await c.run('CREATE TABLE left_behind AS SELECT 1 AS x');
      await c.run('SET lock_configuration = true');
      c.closeSync();
      instance.closeSync();
    }
    const other = await takeInstance({ threads: '2' });
    const c = await other.connect();
    const threads = await c.runAndReadAll(`SELECT current_setting('threads')`);
    expect(Number(threads.getRows()[0]?.[0])).toBe(2);
    c.closeSync();
    other.closeSync();
  });
});
