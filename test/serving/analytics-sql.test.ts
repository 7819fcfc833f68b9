import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbAnalyticsStore } from '../../platform-core/src/adapters/duckdb/duckdb-analytics-store.js';
import { openDuck } from '../../platform-core/src/adapters/connectors/shared/extract-writer.js';
import { MASKED } from '../../platform-core/src/domain/quality/masking.js';
import { planColumns, writerFor } from './support/serving-fixtures.js';

/**
 * `hekima query --sql` takes exactly one SELECT as DuckDB splits and parses it, and the limit
 * applies to its result, not to text pasted around it: comments, parentheses and semicolons
 * cannot escape a wrapper or drop the limit.
 */
describe('analytics --sql: one SELECT, the limit on the prepared statement', () => {
  let dir: string;
  let path: string;
  const store = new DuckDbAnalyticsStore();
  const columns = planColumns('id:integer:pk', 'email');
  const writer = writerFor('analytics', 'people', columns);
  const query = (sql: string, limit = 3) =>
    store.read({
      tenantId: 't',
      product: 'people',
      version: '1.0.0',
      columns,
      writer,
      filters: [],
      masked: ['email'],
      path,
      sql,
      limit,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-analytics-'));
    path = join(dir, 'data.parquet');
    const duck = await openDuck();
    try {
      await duck.connection.run(
        `COPY (SELECT i::INTEGER AS id, 'p' || i || '@x.io' AS email FROM range(1, 11) t(i)) TO '${path}' (FORMAT parquet)`,
      );
    } finally {
      duck.close();
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs a SELECT (also WITH, FROM-first, a trailing semicolon) and returns at most `limit` rows', async () => {
    expect((await query('SELECT id FROM people ORDER BY id;')).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect((await query('WITH x AS (SELECT id FROM people) SELECT count(*) AS n FROM x')).rows).toEqual([{ n: '10' }]);
    expect((await query('FROM people SELECT id ORDER BY id DESC', 2)).rows).toEqual([{ id: 10 }, { id: 9 }]);
  });

  it('a trailing comment cannot remove the limit', async () => {
    expect((await query('SELECT id FROM people ORDER BY id --')).rows).toHaveLength(3);
    expect((await query('SELECT id FROM people ORDER BY id /* ) AS x LIMIT 100 */')).rows).toHaveLength(3);
    await expect(query('SELECT id FROM people /* ')).rejects.toMatchObject({ code: 'query_failed' });
  });

  it('a closing parenthesis cannot break out of a wrapper: it is a syntax error', async () => {
    await expect(query('SELECT 1) AS a, (SELECT id, email FROM people')).rejects.toMatchObject({
      code: 'query_failed',
    });
  });

  it('several statements are refused, whatever separates them', async () => {
    for (const sql of ['SELECT 1; SELECT 2', 'SELECT 1; SET enable_external_access = true', 'SELECT 1;;SELECT 2 --'])
      await expect(query(sql), sql).rejects.toMatchObject({ code: 'not_one_statement' });
  });

  it('anything but a SELECT is refused before it runs', async () => {
    for (const [sql, kind] of [
      ['CREATE TABLE x AS SELECT * FROM people', 'CREATE'],
      ['INSERT INTO people VALUES (11, NULL)', 'INSERT'],
      ['SET threads = 1', 'SET'],
      ['EXPLAIN SELECT 1', 'EXPLAIN'],
      ['CALL pragma_version()', 'CALL'],
    ] as const)
      await expect(query(sql), sql).rejects.toMatchObject({
        code: 'not_a_select',
        message: expect.stringContaining(kind),
      });
    // Those that touch files fail already when DuckDB prepares them in the locked session.
    for (const sql of ["COPY people TO '/tmp/x.csv'", "ATTACH '/tmp/x.db'", "SELECT 1; COPY people TO '/tmp/x.csv'"])
      await expect(query(sql), sql).rejects.toMatchObject({
        code: expect.stringMatching(/^(not_a_select|query_failed|not_one_statement)$/),
      });
    // Nothing was changed by the refused statements.
    expect((await query('SELECT count(*) AS n FROM people')).rows).toEqual([{ n: '10' }]);
  });

  it('still reads only the masked copy', async () => {
    expect((await query('SELECT email FROM people ORDER BY id', 1)).rows).toEqual([{ email: MASKED }]);
  });
});
