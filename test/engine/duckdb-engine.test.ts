import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrorKind } from '../../platform-core/src/domain/errors.js';
import { col, engine, failure } from './support/engine-helpers.js';

const orders = {
  id: 'raw-orders',
  source: {
    kind: 'rows' as const,
    columns: [{ name: 'order_id' }, { name: 'qty' }, { name: 'price' }, { name: 'sold_at' }],
    rows: [
      { order_id: 'A', qty: '2', price: '10.50', sold_at: '2026-03-02T09:00:00+03:00' },
      { order_id: 'B', qty: '1', price: '3', sold_at: '2026-03-02T07:30:00Z' },
    ],
  },
};

describe('DuckDbEngine', () => {
  it('binds inputs by id and underscore form, shapes and casts to output.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-engine-'));
    const out = join(dir, 'out.parquet');
    const result = await engine.run({
      logic: {
        kind: 'sql',
        file: 'p/logic/transform.sql',
        sql: 'SELECT o.order_id, o.qty, o.price AS amount, o.sold_at, [1, 2] AS tags, MAP {\'a\': 1} AS attrs\nFROM "raw-orders" AS o JOIN raw_orders USING (order_id)\nORDER BY order_id',
      },
      inputs: [orders],
      output: [
        col('order_id', 'string', { primaryKey: true }),
        col('qty', 'integer'),
        col('amount', 'decimal(10,2)'),
        col('sold_at', 'timestamp'),
        col('tags', 'array(integer)'),
        col('attrs', 'map(string,integer)'),
      ],
      outputPath: out,
      collectRows: true,
    });
    expect(result.ordered).toBe(true);
    expect(result.rows).toEqual([
      ['A', '2', '10.50', '2026-03-02 06:00:00', '[1, 2]', '{a=1}'],
      ['B', '1', '3.00', '2026-03-02 07:30:00', '[1, 2]', '{a=1}'],
    ]);
    expect(existsSync(out)).toBe(true);
  });

  it('fails with SchemaIncompatible naming missing columns', async () => {
    const e = await failure({
      logic: { kind: 'sql', file: 'x.sql', sql: 'SELECT order_id FROM raw_orders' },
      inputs: [orders],
      output: [col('order_id', 'string'), col('total', 'float'), col('n', 'integer')],
    });
    expect(hasErrorKind(e, 'SchemaIncompatible')).toBe(true);
    expect(e.code).toBe('missing_columns');
    expect(e.message).toContain('total, n');
  });

  it('reports an impossible value at the select expression that computes the column', async () => {
    const sql = "SELECT\n  order_id,\n  order_id || 'x' AS qty\nFROM raw_orders";
    const e = await failure({
      logic: {
        kind: 'sql',
        file: 'p/logic/transform.sql',
        sql,
        outputSpans: [
          { name: 'order_id', start: 9, end: 17 },
          { name: 'qty', start: sql.indexOf('order_id ||'), end: sql.indexOf(' AS qty') },
        ],
      },
      inputs: [orders],
      output: [col('order_id', 'string'), col('qty', 'integer')],
    });
    expect(e.code).toBe('cast_failed');
    expect(e.message).toContain('p/logic/transform.sql:3:3');
    expect(e.details?.['value']).toBe('Ax');
  });

  it("uses DuckDB's own position for errors in the logic", async () => {
    const e = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT\n  order_id,\n  nope\nFROM raw_orders' },
      inputs: [orders],
      output: [col('order_id', 'string')],
    });
    expect(e.code).toBe('sql_failed');
    expect(e.details).toMatchObject({ line: 3, column: 3 });
    const c = await failure({
      logic: {
        kind: 'sql',
        file: 'f.sql',
        sql: 'SELECT order_id,\n       CAST(order_id AS INTEGER) AS qty FROM raw_orders',
      },
      inputs: [orders],
      output: [col('order_id', 'string')],
    });
    expect(c.code).toBe('conversion_failed');
    expect(c.details).toMatchObject({ line: 2, value: 'A' });
  });

  it('fails on primary-key duplicates and NOT NULL violations with sample rows', async () => {
    const dup = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: "SELECT 'A' AS k FROM range(3)" },
      inputs: [],
      output: [col('k', 'string', { primaryKey: true })],
    });
    expect(dup.code).toBe('primary_key_duplicate');
    expect(dup.details?.['sampleRows']).toEqual([{ k: 'A', occurrences: '3' }]);
    const nul = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT range AS k, NULL AS v FROM range(30)' },
      inputs: [],
      output: [col('k', 'integer'), col('v', 'string', { nullable: false })],
    });
    expect(nul.code).toBe('not_null_violation');
    expect((nul.details?.['sampleRows'] as unknown[]).length).toBe(20);
    expect(nul.details?.['rowCount']).toBe(30);
  });

  it('sandboxes the logic: no file reads, writes or attaches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-sandbox-'));
    const secret = join(dir, 'secret.csv');
    writeFileSync(secret, 'a\n1\n');
    writeFileSync(join(dir, 's.parquet'), '');
    for (const sql of [
      `SELECT * FROM read_csv('${secret}')`,
      `SELECT * FROM read_parquet('${join(dir, 's.parquet')}')`,
      `SELECT * FROM '${secret}'`,
    ]) {
      const e = await failure({
        logic: { kind: 'sql', file: 'f.sql', sql },
        inputs: [],
        output: [col('a', 'integer')],
      });
      expect(e.message).toMatch(/disabled by configuration|Permission/);
    }
    const copy = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: `COPY (SELECT 1) TO '${join(dir, 'x.csv')}'` },
      inputs: [],
      output: [col('a', 'integer')],
    });
    expect(copy.kind).toBe('Permanent');
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('cancels a query that runs past its timeout', async () => {
    // Minutes of work if it is not cancelled: the test's own timeout catches a cancellation that fails.
    const e = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT COUNT(*) AS n FROM range(100000000000) a' },
      inputs: [],
      output: [col('n', 'integer')],
      limits: { timeoutMs: 300, threads: 1 },
    });
    expect(e.kind).toBe('Cancelled');
    expect(e.code).toBe('timeout');
  });
});
