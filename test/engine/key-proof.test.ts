import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByProvesKey } from '../../platform-core/src/adapters/duckdb/key-proof.js';
import type { ShapePlan } from '../../platform-core/src/adapters/duckdb/shape-result.js';
import type { BoundInput, OutputColumnSpec } from '../../platform-core/src/ports/engine.js';
import { col, engine, failure } from './support/engine-helpers.js';

/**
 * A primary key the logic's own GROUP BY makes unique is not re-checked on the written file
 * (key-proof.ts). What must hold: every proven case really is unique, and every case the proof
 * must refuse (a GROUP BY that can still repeat a key) is checked and fails on the duplicates.
 */
const dir = mkdtempSync(join(tmpdir(), 'hekima-key-proof-'));
const csv = join(dir, 't.csv');
writeFileSync(
  csv,
  'k,v,d,ts\n1,10,1.2,2026-01-01 10:00:00\n1,20,1.4,2026-01-01 12:00:00\n2,30,2.0,2026-01-02 09:00:00\n',
);
const inputs: BoundInput[] = [{ id: 't', source: { kind: 'file', path: csv, format: 'csv' } }];
let out = 0;

async function run(sql: string, output: OutputColumnSpec[]) {
  return engine.run({
    logic: { kind: 'sql', file: 'logic/transform.sql', sql },
    inputs,
    output,
    outputPath: join(dir, `out-${++out}.parquet`),
    collectRows: true,
  });
}

async function duplicate(sql: string, output: OutputColumnSpec[]) {
  return failure({
    logic: { kind: 'sql', file: 'logic/transform.sql', sql },
    inputs,
    output,
    outputPath: join(dir, `out-${++out}.parquet`),
  });
}

const key = (name: string, type: string) => col(name, type, { primaryKey: true, nullable: false });

describe('primary keys proven by the logic’s GROUP BY', () => {
  it('skips the check only where the GROUP BY keys are the key columns, and the rows are right', async () => {
    const byKey = await run('SELECT k, SUM(v) AS total FROM t GROUP BY k ORDER BY k', [
      key('k', 'integer'),
      col('total', 'integer'),
    ]);
    expect(byKey.primaryKey).toBe('proven');
    expect(byKey.rows).toEqual([
      ['1', '30'],
      ['2', '30'],
    ]);

    const byDay = await run(
      'SELECT CAST(ts AS DATE) AS day, k, COUNT(*) AS n FROM t GROUP BY k, CAST(ts AS DATE) ORDER BY day',
      [key('day', 'date'), key('k', 'integer'), col('n', 'integer')],
    );
    expect(byDay.primaryKey).toBe('proven');
    expect(byDay.rows).toEqual([
      ['2026-01-01', '1', '2'],
      ['2026-01-02', '2', '1'],
    ]);

    const withCte = await run(
      'WITH x AS (SELECT * FROM t WHERE v > 0) SELECT k, MAX(v) AS top FROM x GROUP BY k HAVING COUNT(*) >= 1 ORDER BY k LIMIT 10',
      [key('k', 'integer'), col('top', 'integer')],
    );
    expect(withCte.primaryKey).toBe('proven');
    expect(withCte.rowCount).toBe(2);
  });

  it('checks (and fails on duplicates) every GROUP BY that can still repeat a key', async () => {
    const cases: [string, string, OutputColumnSpec[]][] = [
      [
        'two grouping sets',
        'SELECT k, SUM(v) AS s FROM t GROUP BY GROUPING SETS ((k), (k))',
        [key('k', 'integer'), col('s', 'integer')],
      ],
      [
        'a set-returning function',
        'SELECT k, UNNEST([1, 2]) AS x FROM t GROUP BY k',
        [key('k', 'integer'), col('x', 'integer')],
      ],
      [
        'a lossy cast of the key',
        'SELECT d, COUNT(*) AS n FROM t GROUP BY d',
        [key('d', 'integer'), col('n', 'integer')],
      ],
      [
        'a timestamp key declared as a date',
        'SELECT ts, COUNT(*) AS n FROM t GROUP BY ts',
        [key('ts', 'date'), col('n', 'integer')],
      ],
      [
        'a grouping key outside the primary key',
        'SELECT k, v, COUNT(*) AS n FROM t GROUP BY k, v',
        [key('k', 'integer'), col('v', 'integer'), col('n', 'integer')],
      ],
      [
        'a key computed from the grouping keys',
        'SELECT k % 1 AS k, v FROM t GROUP BY k, v',
        [key('k', 'integer'), col('v', 'integer')],
      ],
      [
        'a union of two GROUP BYs',
        'SELECT k, SUM(v) AS s FROM t GROUP BY k UNION ALL SELECT k, SUM(v) AS s FROM t GROUP BY k',
        [key('k', 'integer'), col('s', 'integer')],
      ],
    ];
    for (const [what, sql, output] of cases) {
      const error = await duplicate(sql, output);
      expect(error.code, what).toBe('primary_key_duplicate');
    }
    // Not provable, but unique: checked, and it passes.
    const aliased = await run('SELECT v AS k, COUNT(*) AS n FROM t GROUP BY k, v', [
      key('k', 'integer'),
      col('n', 'integer'),
    ]);
    expect(aliased.primaryKey).toBe('checked');
  });
});

describe('groupByProvesKey on DuckDB parse trees', () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => instance.closeSync());

  async function tree(sql: string): Promise<unknown> {
    const c = await instance.connect();
    try {
      const reader = await c.runAndReadAll(`SELECT json_serialize_sql('${sql.replaceAll("'", "''")}')`);
      return JSON.parse(String(reader.getRows()[0]?.[0]));
    } finally {
      c.closeSync();
    }
  }

  /** A shape plan: each output column from the same-named result column of `type`. */
  function plan(columns: [name: string, type: string, srcType: string, primaryKey: boolean][]): ShapePlan {
    return {
      pairs: columns.map(([name, type, srcType, primaryKey]) => ({
        spec: primaryKey ? key(name, type) : col(name, type),
        src: { name, type: srcType },
      })),
      extra: [],
    };
  }

  const daily = plan([
    ['customer_id', 'integer', 'BIGINT', true],
    ['order_date', 'date', 'DATE', true],
    ['revenue', 'decimal(18,2)', 'DECIMAL(38,2)', false],
  ]);
  const dailySql = (group: string, select = 'customer_id, CAST(ordered_at AS DATE) AS order_date') =>
    `SELECT ${select}, SUM(amount) AS revenue FROM orders GROUP BY ${group}`;

  it('proves a plain GROUP BY of the key columns, in any order, with integer and decimal casts', async () => {
    expect(groupByProvesKey(await tree(dailySql('customer_id, CAST(ordered_at AS DATE)')), daily)).toBe(true);
    expect(groupByProvesKey(await tree(dailySql('CAST(ordered_at AS DATE), customer_id')), daily)).toBe(true);
    const narrowed = plan([
      ['k', 'integer', 'INTEGER', true],
      ['p', 'decimal(12,4)', 'DECIMAL(10,2)', true],
    ]);
    expect(groupByProvesKey(await tree('SELECT k, p FROM t GROUP BY k, p'), narrowed)).toBe(true);
  });

  it('refuses what it cannot prove', async () => {
    const refused: [string, string, ShapePlan?][] = [
      [
        'GROUP BY ALL',
        'SELECT customer_id, CAST(ordered_at AS DATE) AS order_date, SUM(amount) AS revenue FROM orders GROUP BY ALL',
      ],
      ['positions', dailySql('1, 2')],
      ['ROLLUP', dailySql('ROLLUP (customer_id, CAST(ordered_at AS DATE))')],
      ['CUBE', dailySql('CUBE (customer_id, CAST(ordered_at AS DATE))')],
      ['a group key missing from the select', dailySql('customer_id, CAST(ordered_at AS DATE), region')],
      ['no GROUP BY', 'SELECT customer_id, CAST(ordered_at AS DATE) AS order_date, amount AS revenue FROM orders'],
      [
        'a star',
        dailySql('customer_id, CAST(ordered_at AS DATE)', '*, customer_id, CAST(ordered_at AS DATE) AS order_date'),
      ],
      [
        'a random key',
        'SELECT random() AS customer_id, CAST(ordered_at AS DATE) AS order_date FROM orders GROUP BY random(), CAST(ordered_at AS DATE)',
      ],
      [
        'a subquery key',
        'SELECT (SELECT 1) AS customer_id, CAST(ordered_at AS DATE) AS order_date FROM orders GROUP BY (SELECT 1), CAST(ordered_at AS DATE)',
      ],
      [
        'two columns of one name',
        dailySql(
          'customer_id, CAST(ordered_at AS DATE)',
          'customer_id, customer_id, CAST(ordered_at AS DATE) AS order_date',
        ),
      ],
      [
        'unlist',
        dailySql(
          'customer_id, CAST(ordered_at AS DATE)',
          'customer_id, unlist([1]) AS x, CAST(ordered_at AS DATE) AS order_date',
        ),
      ],
      [
        'a text key declared as an integer',
        dailySql('customer_id, CAST(ordered_at AS DATE)'),
        plan([
          ['customer_id', 'integer', 'VARCHAR', true],
          ['order_date', 'date', 'DATE', true],
        ]),
      ],
      [
        'fewer decimals than the key has',
        'SELECT p FROM t GROUP BY p',
        plan([['p', 'decimal(12,1)', 'DECIMAL(12,2)', true]]),
      ],
      [
        'no primary key',
        dailySql('customer_id, CAST(ordered_at AS DATE)'),
        plan([['customer_id', 'integer', 'BIGINT', false]]),
      ],
    ];
    for (const [what, sql, shape] of refused)
      expect(groupByProvesKey(await tree(sql), shape ?? daily), what).toBe(false);
    expect(groupByProvesKey({ error: true }, daily)).toBe(false);
  });
});

describe('a single integer key counted with a bitmap of its values', () => {
  async function keys(name: string, values: (number | bigint)[]) {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, `id,x\n${values.map((v, i) => `${v},${i}`).join('\n')}\n`);
    return {
      logic: { kind: 'sql' as const, file: 'logic/transform.sql', sql: 'SELECT id, x FROM k' },
      inputs: [{ id: 'k', source: { kind: 'file' as const, path, format: 'csv' as const } }],
      output: [key('id', 'integer'), col('x', 'integer')],
      outputPath: join(dir, `out-${++out}.parquet`),
    };
  }

  it('passes unique keys, dense or sparse, negative or beyond the bitmap range', async () => {
    for (const values of [
      [3, 1, 2, 5, 4],
      [-7, -3, 0, 9],
      [1, 2n ** 40n, -(2n ** 40n)],
    ]) {
      const result = await engine.run(await keys(`unique-${out}`, values));
      expect(result.rowCount).toBe(values.length);
      expect(result.primaryKey).toBe('checked');
    }
  });

  it('fails duplicates with their count and samples, in range or not', async () => {
    for (const values of [
      [-2, 5, -2, 7, 5, 5],
      [1, 2n ** 40n, 2n ** 40n, 1, 3],
    ]) {
      const error = await failure(await keys(`dup-${out}`, values));
      expect(error.code).toBe('primary_key_duplicate');
      expect((error.details as { duplicateKeys: number }).duplicateKeys).toBe(2);
    }
  });
});
