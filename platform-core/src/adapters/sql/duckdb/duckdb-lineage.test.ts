import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlAnalysis } from '../../../ports/sql-analyzer.js';
import { DuckDbSqlAnalyzer } from './duckdb-sql-analyzer.js';

const KNOWN: Record<string, readonly string[]> = {
  orders: ['order_id', 'customer_id', 'amount', 'ordered_at', 'status', 'tags'],
  customers: ['customer_id', 'name', 'segment', 'country'],
  refunds: ['order_id', 'refunded'],
};
const analyzer = new DuckDbSqlAnalyzer();
beforeAll(() => analyzer.ready());
afterAll(() => analyzer.close());

function analyze(sql: string): SqlAnalysis {
  const analysis = analyzer.analyze(sql, (t) => KNOWN[t]);
  expect(analysis.error).toBeUndefined();
  return analysis;
}

/** Each output column as `name: direct | indirect`, edges written `table.column:SUBTYPE`, sorted. */
function lineage(sql: string): Record<string, { direct: string[]; indirect: string[] }> {
  const out: Record<string, { direct: string[]; indirect: string[] }> = {};
  for (const column of analyze(sql).outputColumns) {
    const edges = (list: readonly { table: string; column: string; subtype: string }[] | undefined) =>
      (list ?? []).map((e) => `${e.table}.${e.column}:${e.subtype}`).sort();
    out[column.name ?? '?'] = { direct: edges(column.lineage?.direct), indirect: edges(column.lineage?.indirect) };
  }
  return out;
}

const dataset = (sql: string) =>
  (analyze(sql).datasetLineage ?? []).map((e) => `${e.table}.${e.column}:${e.subtype}`).sort();

describe('column lineage (hand-checked)', () => {
  it('identity, transformation and aggregation', () => {
    expect(
      lineage(`SELECT customer_id, amount * 2 AS doubled, upper(status) AS s, sum(amount) AS total,
        count(*) AS n, count(order_id) AS counted, max(ordered_at)::date AS last_day, 1 AS one
        FROM orders GROUP BY customer_id, status`),
    ).toEqual({
      customer_id: { direct: ['orders.customer_id:IDENTITY'], indirect: [] },
      doubled: { direct: ['orders.amount:TRANSFORMATION'], indirect: [] },
      s: { direct: ['orders.status:TRANSFORMATION'], indirect: [] },
      total: { direct: ['orders.amount:AGGREGATION'], indirect: [] },
      n: { direct: [], indirect: [] },
      counted: { direct: ['orders.order_id:AGGREGATION'], indirect: [] },
      last_day: { direct: ['orders.ordered_at:AGGREGATION'], indirect: [] },
      one: { direct: [], indirect: [] },
    });
  });

  it('CASE: direct from the branches, CONDITIONAL from the conditions', () => {
    expect(
      lineage(`SELECT CASE WHEN c.segment = 'vip' THEN o.amount END AS vip_amount,
        CASE WHEN o.status = 'paid' THEN 'yes' ELSE 'no' END AS paid,
        coalesce(c.name, c.country) AS label
        FROM orders o JOIN customers c ON c.customer_id = o.customer_id`),
    ).toEqual({
      vip_amount: { direct: ['orders.amount:TRANSFORMATION'], indirect: ['customers.segment:CONDITIONAL'] },
      paid: { direct: [], indirect: ['orders.status:CONDITIONAL'] },
      label: { direct: ['customers.country:TRANSFORMATION', 'customers.name:TRANSFORMATION'], indirect: [] },
    });
  });

  it('window functions: no direct source for ROW_NUMBER, WINDOW from PARTITION BY and ORDER BY', () => {
    expect(
      lineage(`SELECT order_id, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at) AS rn,
        sum(amount) OVER (PARTITION BY customer_id) AS customer_total,
        lag(amount) OVER (ORDER BY ordered_at) AS previous
        FROM orders`),
    ).toEqual({
      order_id: { direct: ['orders.order_id:IDENTITY'], indirect: [] },
      rn: { direct: [], indirect: ['orders.customer_id:WINDOW', 'orders.ordered_at:WINDOW'] },
      customer_total: { direct: ['orders.amount:AGGREGATION'], indirect: ['orders.customer_id:WINDOW'] },
      previous: { direct: ['orders.amount:TRANSFORMATION'], indirect: ['orders.ordered_at:WINDOW'] },
    });
  });

  it('through CTEs and derived tables, composing the steps', () => {
    expect(
      lineage(`WITH per_customer AS (
          SELECT customer_id, sum(amount) AS revenue, count(*) AS orders_n FROM orders GROUP BY customer_id
        ), ranked AS (SELECT *, revenue / 100 AS hundreds FROM per_customer)
        SELECT r.customer_id, r.revenue, r.hundreds, r.orders_n, d.name
        FROM ranked r JOIN (SELECT customer_id AS id, upper(name) AS name FROM customers) d ON d.id = r.customer_id`),
    ).toEqual({
      customer_id: { direct: ['orders.customer_id:IDENTITY'], indirect: [] },
      revenue: { direct: ['orders.amount:AGGREGATION'], indirect: [] },
      hundreds: { direct: ['orders.amount:AGGREGATION'], indirect: [] },
      orders_n: { direct: [], indirect: [] },
      name: { direct: ['customers.name:TRANSFORMATION'], indirect: [] },
    });
  });

  it('SELECT * is IDENTITY per expanded column; EXCLUDE drops, REPLACE transforms', () => {
    expect(lineage('SELECT * EXCLUDE (tags, status, ordered_at) REPLACE (amount * 100 AS amount) FROM orders')).toEqual(
      {
        order_id: { direct: ['orders.order_id:IDENTITY'], indirect: [] },
        customer_id: { direct: ['orders.customer_id:IDENTITY'], indirect: [] },
        amount: { direct: ['orders.amount:TRANSFORMATION'], indirect: [] },
      },
    );
    expect(lineage('SELECT c.* FROM customers c')).toEqual({
      customer_id: { direct: ['customers.customer_id:IDENTITY'], indirect: [] },
      name: { direct: ['customers.name:IDENTITY'], indirect: [] },
      segment: { direct: ['customers.segment:IDENTITY'], indirect: [] },
      country: { direct: ['customers.country:IDENTITY'], indirect: [] },
    });
  });

  it('set operations: direct from the matching column of every branch', () => {
    expect(
      lineage(`SELECT order_id AS id, amount AS value FROM orders
        UNION ALL SELECT order_id, -refunded FROM refunds`),
    ).toEqual({
      id: { direct: ['orders.order_id:IDENTITY', 'refunds.order_id:IDENTITY'], indirect: [] },
      value: { direct: ['orders.amount:IDENTITY', 'refunds.refunded:TRANSFORMATION'], indirect: [] },
    });
  });

  it('correlated and scalar sub-queries; EXISTS decides (CONDITIONAL)', () => {
    expect(
      lineage(`SELECT c.name,
          (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.customer_id) AS top_amount,
          EXISTS (SELECT 1 FROM refunds r WHERE r.refunded > 0) AS any_refund,
          c.customer_id IN (SELECT customer_id FROM orders) AS ordered
        FROM customers c`),
    ).toEqual({
      name: { direct: ['customers.name:IDENTITY'], indirect: [] },
      top_amount: { direct: ['orders.amount:AGGREGATION'], indirect: [] },
      any_refund: { direct: [], indirect: [] },
      ordered: { direct: ['customers.customer_id:TRANSFORMATION'], indirect: ['orders.customer_id:CONDITIONAL'] },
    });
  });

  it('USING joins and DuckDB-only syntax', () => {
    expect(
      lineage(`FROM orders JOIN customers USING (customer_id)
        SELECT customer_id, TRY_CAST(amount AS INTEGER) AS whole,
        list(DISTINCT status ORDER BY ordered_at DESC)[1:3] AS recent,
        list_transform(tags, t -> upper(t) || country) AS tagged,
        {'who': name, 'where': country} AS who
        GROUP BY ALL`),
    ).toEqual({
      customer_id: { direct: ['orders.customer_id:IDENTITY'], indirect: [] },
      whole: { direct: ['orders.amount:TRANSFORMATION'], indirect: [] },
      recent: { direct: ['orders.status:AGGREGATION'], indirect: ['orders.ordered_at:SORT'] },
      tagged: { direct: ['customers.country:TRANSFORMATION', 'orders.tags:TRANSFORMATION'], indirect: [] },
      who: { direct: ['customers.country:TRANSFORMATION', 'customers.name:TRANSFORMATION'], indirect: [] },
    });
  });

  it('aggregate FILTER is indirect FILTER; select-list aliases reused carry their lineage', () => {
    expect(
      lineage(`SELECT count(*) FILTER (WHERE status = 'paid') AS paid_n, amount * 2 AS doubled, doubled + 1 AS plus_one
        FROM orders`),
    ).toEqual({
      paid_n: { direct: [], indirect: ['orders.status:FILTER'] },
      doubled: { direct: ['orders.amount:TRANSFORMATION'], indirect: [] },
      plus_one: { direct: ['orders.amount:TRANSFORMATION'], indirect: [] },
    });
  });

  it('dataset-level lineage: WHERE, JOIN, GROUP BY, ORDER BY, QUALIFY', () => {
    expect(
      dataset(`SELECT c.country, sum(o.amount) AS revenue FROM orders o JOIN customers c ON c.customer_id = o.customer_id
        WHERE o.status = 'paid' GROUP BY c.country HAVING count(*) > 1 ORDER BY revenue DESC`),
    ).toEqual([
      'customers.country:GROUP_BY',
      'customers.customer_id:JOIN',
      'orders.amount:SORT',
      'orders.customer_id:JOIN',
      'orders.status:FILTER',
    ]);
    expect(
      dataset(
        'SELECT order_id FROM orders JOIN refunds USING (order_id) QUALIFY row_number() OVER (ORDER BY amount) = 1',
      ),
    ).toEqual(['orders.amount:FILTER', 'orders.order_id:JOIN', 'refunds.order_id:JOIN']);
  });

  it('locates each edge where the SQL reads the column', () => {
    const sql = 'SELECT o.amount AS a FROM orders o';
    const edge = analyze(sql).outputColumns[0]?.lineage?.direct[0];
    expect(edge && sql.slice(edge.start, edge.end)).toBe('amount');
  });
});
