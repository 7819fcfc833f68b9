import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlAnalysis, SqlSpan, TableColumns } from '../../../ports/sql-analyzer.js';
import { DuckDbSqlAnalyzer } from './duckdb-sql-analyzer.js';
import { TextOffsets } from '../text-offsets.js';

const ORDERS = ['order_id', 'customer_id', 'amount', 'ordered_at'];
const KNOWN: Record<string, readonly string[]> = {
  'raw-orders': ORDERS,
  raw_orders: ORDERS,
  customers: ['customer_id', 'name', 'country'],
  archive: ['order_id', 'total'],
  nodes: ['id', 'parent_id', 'label'],
  products: ['sku', 'tags'],
};
const tableColumns: TableColumns = (table) => KNOWN[table];

const analyzer = new DuckDbSqlAnalyzer();
beforeAll(() => analyzer.ready());

function analyze(sql: string): SqlAnalysis {
  const analysis = analyzer.analyze(sql, tableColumns);
  expect(analysis.error).toBeUndefined();
  return analysis;
}

const textOf = (sql: string, span: SqlSpan) => sql.slice(span.start, span.end);
/** Reads as `table.column@written text`. */
const readsOf = (sql: string, a: SqlAnalysis) => a.columnReads.map((r) => `${r.table}.${r.column}@${textOf(sql, r)}`);
const namesOf = (a: SqlAnalysis) => a.outputColumns.map((c) => c.name);
const tablesOf = (a: SqlAnalysis) => a.tables.map((t) => t.name);

describe('DuckDbSqlAnalyzer: statements and tables', () => {
  it('analyzes before ready() resolved: the parser thread starts on first use', () => {
    const cold = new DuckDbSqlAnalyzer();
    expect(cold.analyze('select 1 as one', tableColumns).outputColumns.map((c) => c.name)).toEqual(['one']);
    cold.close();
  });

  it('reports a quoted hyphenated input with its written span', () => {
    const sql = 'select order_id, amount from "raw-orders"';
    const a = analyze(sql);
    expect(a).toMatchObject({ statementCount: 1, isQuery: true, ctes: [], usesStar: false, ambiguousReads: [] });
    expect(a.tables).toEqual([{ name: 'raw-orders', quoted: true, start: 29, end: 41 }]);
    expect(textOf(sql, a.tables[0]!)).toBe('"raw-orders"');
    expect(readsOf(sql, a)).toEqual(['raw-orders.order_id@order_id', 'raw-orders.amount@amount']);
  });

  it('lower-cases unquoted names and keeps alias and schema', () => {
    const sql = 'SELECT O.Amount FROM Main.Raw_Orders AS O';
    const a = analyze(sql);
    expect(a.tables).toEqual([{ name: 'raw_orders', schema: 'main', alias: 'o', quoted: false, start: 21, end: 36 }]);
    expect(textOf(sql, a.tables[0]!)).toBe('Main.Raw_Orders');
    expect(readsOf(sql, a)).toEqual(['raw_orders.amount@Amount']);
  });

  it('counts statements and tells queries from other statements', () => {
    expect(analyze('select 1; select 2')).toMatchObject({ statementCount: 2, isQuery: false });
    expect(analyze('values (1)')).toMatchObject({ statementCount: 1, isQuery: true });
    expect(analyze('select 1 union select 2')).toMatchObject({ statementCount: 1, isQuery: true });
    expect(analyze('')).toMatchObject({ statementCount: 0, isQuery: false, tables: [] });
    expect(analyze('  -- nothing here\n')).toMatchObject({ statementCount: 0, isQuery: false });
  });

  it('types a non-query statement without analyzing it (LOG-002 reports it whole)', () => {
    const del = analyze('DELETE FROM raw_orders WHERE amount < 0');
    expect(del).toMatchObject({ statementCount: 1, isQuery: false, outputColumns: [], usesStar: false });
    expect(del.statements).toEqual([{ type: 'DeleteStmt', start: 0, end: 39 }]);
    const insert = analyze('select 1; insert into target select o.amount from "raw-orders" o');
    expect(insert.statements?.map((s) => s.type)).toEqual(['SelectStmt', 'InsertStmt']);
  });

  it('finds tables in sub-queries, set operations, EXISTS, IN and LATERAL', () => {
    const sql = `select * from a
      where exists (select 1 from b) and x in (select y from c)
      union select * from (select * from d) s, lateral (select * from e) l`;
    expect(tablesOf(analyze(sql))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('DuckDbSqlAnalyzer: CTEs', () => {
  it('excludes CTE names from tables and follows CTE columns to the input', () => {
    const sql = `with totals as (
        select customer_id, sum(amount) as total from "raw-orders" group by customer_id
      )
      select t.customer_id, t.total from totals t`;
    const a = analyze(sql);
    expect(a.ctes).toEqual(['totals']);
    expect(tablesOf(a)).toEqual(['raw-orders']);
    expect(namesOf(a)).toEqual(['customer_id', 'total']);
    // t.customer_id is a plain column of the CTE; t.total is an aggregate, so not attributed.
    expect(readsOf(sql, a)).toEqual([
      'raw-orders.customer_id@customer_id',
      'raw-orders.amount@amount',
      'raw-orders.customer_id@customer_id',
      'raw-orders.customer_id@customer_id',
    ]);
    expect(a.columnReads[3]!.start).toBe(sql.indexOf('t.customer_id') + 2);
  });

  it('lets a CTE shadow an input of the same name', () => {
    const sql = 'with "raw-orders" as (select 1 as x) select x from "raw-orders"';
    const a = analyze(sql);
    expect(a.tables).toEqual([]);
    expect(a.ctes).toEqual(['raw-orders']);
    expect(a.columnReads).toEqual([]);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('reads the input itself inside a non-recursive CTE named like it', () => {
    const sql = 'with raw_orders as (select * from raw_orders where amount > 0) select order_id from raw_orders';
    const a = analyze(sql);
    expect(a.tables).toHaveLength(1);
    expect(textOf(sql, a.tables[0]!)).toBe('raw_orders');
    expect(a.tables[0]!.start).toBe(sql.indexOf('from raw_orders') + 5);
    expect(readsOf(sql, a)).toEqual(['raw_orders.amount@amount', 'raw_orders.order_id@order_id']);
  });

  it('scopes nested WITH clauses to their sub-query', () => {
    const sql = `with a as (select order_id from raw_orders)
      select * from (with b as (select order_id from a) select order_id from b) s, b`;
    const a = analyze(sql);
    expect(a.ctes).toEqual(['a', 'b']);
    // The outer `b` is not the inner CTE: it is a physical table.
    expect(tablesOf(a)).toEqual(['raw_orders', 'b']);
    expect(a.usesStar).toBe(true);
    expect(a.outputColumns).toHaveLength(1);
    expect(a.outputColumns[0]).toMatchObject({ name: null, expression: '*', star: true });
  });

  it('does not take a recursive CTE referencing itself for a table', () => {
    const sql = `with recursive tree as (
        select id, parent_id from nodes where parent_id is null
        union all
        select n.id, n.parent_id from nodes n join tree t on n.parent_id = t.id
      )
      select * from tree`;
    const a = analyze(sql);
    expect(tablesOf(a)).toEqual(['nodes', 'nodes']);
    expect(a.ctes).toEqual(['tree']);
    expect(namesOf(a)).toEqual(['id', 'parent_id']);
    expect(a.usesStar).toBe(false);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}`)).toEqual([
      'nodes.id',
      'nodes.parent_id',
      'nodes.parent_id',
      'nodes.id',
      'nodes.parent_id',
      'nodes.parent_id',
    ]);
  });

  it('takes a self-reference in a CTE without RECURSIVE for a table', () => {
    const sql = 'with r(n) as (select 1 union all select n + 1 from r) select n from r';
    const a = analyze(sql);
    expect(a.tables).toHaveLength(1);
    expect(a.tables[0]!.start).toBe(sql.indexOf('from r)') + 5);
  });

  it('rejects data-modifying CTEs as DuckDB does', () => {
    const a = analyzer.analyze('with d as (delete from raw_orders returning *) select * from d', tableColumns);
    expect(a.error?.message).toMatch(/CTE/);
  });

  it('uses a CTE column alias list', () => {
    const sql = 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r';
    const a = analyze(sql);
    expect(a.tables).toEqual([]);
    expect(namesOf(a)).toEqual(['n']);
    expect(a.ambiguousReads).toEqual([]);
  });
});

describe('DuckDbSqlAnalyzer: column resolution', () => {
  it('attributes qualified columns through table aliases', () => {
    const sql = 'select o.order_id, c.name from "raw-orders" o join customers c on c.customer_id = o.customer_id';
    const a = analyze(sql);
    expect(a.tables.map((t) => [t.name, t.alias])).toEqual([
      ['raw-orders', 'o'],
      ['customers', 'c'],
    ]);
    expect(readsOf(sql, a)).toEqual([
      'raw-orders.order_id@order_id',
      'customers.name@name',
      'customers.customer_id@customer_id',
      'raw-orders.customer_id@customer_id',
    ]);
  });

  it('attributes unqualified columns to the one source that has them, else reports them', () => {
    const sql = 'select name, amount, colour from "raw-orders" o join customers c on c.customer_id = o.customer_id';
    const a = analyze(sql);
    expect(readsOf(sql, a)).toContain('customers.name@name');
    expect(readsOf(sql, a)).toContain('raw-orders.amount@amount');
    expect(a.ambiguousReads).toEqual([
      {
        tables: ['raw-orders', 'customers'],
        column: 'colour',
        start: sql.indexOf('colour'),
        end: sql.indexOf('colour') + 6,
      },
    ]);
  });

  it('reports a missing column of a single input as a read of that input', () => {
    const sql = 'select amout from raw_orders';
    expect(readsOf(sql, analyze(sql))).toEqual(['raw_orders.amout@amout']);
  });

  it('attributes nothing when a source has unknown columns', () => {
    const sql = 'select foo, u.bar from mystery u join raw_orders o on o.order_id = u.id';
    const a = analyze(sql);
    expect(a.ambiguousReads).toEqual([]);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}`)).toEqual([
      'mystery.bar',
      'raw_orders.order_id',
      'mystery.id',
    ]);
  });

  it('leaves an unqualified column shared by two inputs unattributed', () => {
    const sql = 'select customer_id from raw_orders, customers';
    const a = analyze(sql);
    expect(a.columnReads).toEqual([]);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('reads USING columns from both sides and treats the merged column as one', () => {
    const sql = 'select customer_id, name from "raw-orders" join customers using (customer_id)';
    const a = analyze(sql);
    const using = sql.lastIndexOf('customer_id');
    expect(a.columnReads).toEqual([
      { table: 'raw-orders', column: 'customer_id', start: 7, end: 18 },
      { table: 'customers', column: 'name', start: 20, end: 24 },
      { table: 'raw-orders', column: 'customer_id', start: using, end: using + 11 },
      { table: 'customers', column: 'customer_id', start: using, end: using + 11 },
    ]);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('resolves sub-queries in FROM through their output columns', () => {
    const sql =
      'select s.cid, s.total, s.nope from (select customer_id as cid, sum(amount) total from raw_orders group by 1) s';
    const a = analyze(sql);
    // Sorted by position: the outer `s.cid` comes first.
    expect(readsOf(sql, a)).toEqual([
      'raw_orders.customer_id@cid',
      'raw_orders.customer_id@customer_id',
      'raw_orders.amount@amount',
    ]);
    expect(namesOf(a)).toEqual(['cid', 'total', 'nope']);
  });

  it('resolves correlated references in WHERE sub-queries against the outer query', () => {
    const sql = `select c.name from customers c
      where exists (select 1 from "raw-orders" o where o.customer_id = c.customer_id and country = 'KE' and amount > 100)
        and c.customer_id in (select customer_id from archive_ids)`;
    const a = analyze(sql);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}`)).toEqual([
      'customers.name',
      'raw-orders.customer_id',
      'customers.customer_id',
      'customers.country',
      'raw-orders.amount',
      'customers.customer_id',
      'archive_ids.customer_id',
    ]);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('reports a column found in no scope of a correlated sub-query', () => {
    const sql =
      'select name from customers c where exists (select 1 from raw_orders o, archive a where o.order_id = a.order_id and colour = 1)';
    const a = analyze(sql);
    expect(a.ambiguousReads).toEqual([
      expect.objectContaining({ column: 'colour', tables: ['raw_orders', 'archive', 'customers'] }),
    ]);
  });

  it('sees earlier FROM items from a LATERAL sub-query', () => {
    const sql = 'select o.order_id, x.doubled from raw_orders o, lateral (select o.amount * 2 as doubled) x';
    const a = analyze(sql);
    expect(readsOf(sql, a)).toEqual(['raw_orders.order_id@order_id', 'raw_orders.amount@amount']);
    expect(namesOf(a)).toEqual(['order_id', 'doubled']);
  });

  it('does not read select-list aliases in ORDER BY, GROUP BY and HAVING', () => {
    const sql = `select o.customer_id as cust, sum(o.amount) as total from raw_orders o join customers c using (customer_id)
      group by cust having total > 10 order by total desc`;
    const a = analyze(sql);
    expect(a.ambiguousReads).toEqual([]);
    expect(a.columnReads.map((r) => r.column)).toEqual(['customer_id', 'amount', 'customer_id', 'customer_id']);
  });

  it('ignores function names, literals and columns of table functions', () => {
    const sql = `select coalesce(amount, 0), true, null, current_date, g.x, x
      from raw_orders, generate_series(1, 3) as g(x)`;
    const a = analyze(sql);
    expect(readsOf(sql, a)).toEqual(['raw_orders.amount@amount']);
    expect(a.ambiguousReads).toEqual([]);
    const unknown = analyze('select anything, amount from raw_orders, unnest(array[1, 2]) u');
    expect(unknown.columnReads).toEqual([]);
    expect(unknown.ambiguousReads).toEqual([]);
    const csv = analyze("select * from read_csv('orders.csv')");
    expect(csv).toMatchObject({ tables: [], usesStar: true });
  });

  it('does not take DuckDB lambda parameters for columns', () => {
    const sql =
      'select list_transform(tags, t -> upper(t)) as upper_tags, list_filter(tags, (x, i) -> i > 1) from products';
    const a = analyze(sql);
    expect(readsOf(sql, a)).toEqual(['products.tags@tags', 'products.tags@tags']);
  });

  it('does not read DuckDB select-list aliases reused in later expressions', () => {
    const sql = 'select amount + 1 as a1, a1 * 2 as a2 from raw_orders where a2 > 3';
    const a = analyze(sql);
    expect(readsOf(sql, a)).toEqual(['raw_orders.amount@amount']);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('does not attribute the merged column of a FULL JOIN', () => {
    const sql = 'select customer_id from raw_orders full join customers using (customer_id)';
    const a = analyze(sql);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}@${r.start}`)).toEqual([
      `raw_orders.customer_id@${sql.lastIndexOf('customer_id')}`,
      `customers.customer_id@${sql.lastIndexOf('customer_id')}`,
    ]);
    expect(a.ambiguousReads).toEqual([]);
  });

  it('drops the alias of a parenthesized join, as DuckDB does (j.amount does not bind)', () => {
    const sql = 'select j.amount, j.name from (raw_orders join customers using (customer_id)) as j';
    const a = analyze(sql);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}`)).toEqual([
      'raw_orders.customer_id',
      'customers.customer_id',
    ]);
  });
});

describe('DuckDbSqlAnalyzer: output columns', () => {
  it('names columns by alias or bare column, else null (DuckDB names the rest by their text)', () => {
    const sql = `select amount::numeric(10, 2), cast(order_id as varchar) as id, o.ordered_at::date,
      amount * 2, sum(amount) over (partition by customer_id order by ordered_at) as running,
      amount is distinct from 0 as "Has Amount",
      percentile_cont(0.5) within group (order by amount) as median,
      case when amount > 0 then 'credit' else 'debit' end kind from raw_orders o`;
    const a = analyze(sql);
    expect(a.outputColumns.map((c) => [c.name, c.expression, c.star])).toEqual([
      [null, 'amount::numeric(10, 2)', false],
      ['id', 'cast(order_id as varchar)', false],
      [null, 'o.ordered_at::date', false],
      [null, 'amount * 2', false],
      ['running', 'sum(amount) over (partition by customer_id order by ordered_at)', false],
      ['Has Amount', 'amount is distinct from 0', false],
      ['median', 'percentile_cont(0.5) within group (order by amount)', false],
      ['kind', "case when amount > 0 then 'credit' else 'debit' end", false],
    ]);
    const last = a.outputColumns[5]!;
    expect(textOf(sql, last)).toBe('amount is distinct from 0 as "Has Amount"');
  });

  it('expands stars over inputs with known columns', () => {
    const sql = 'select * from "raw-orders"';
    const a = analyze(sql);
    expect(namesOf(a)).toEqual(ORDERS);
    expect(a.outputColumns.every((c) => !c.star && c.expression === '*' && c.start === 7 && c.end === 8)).toBe(true);
    expect(a.usesStar).toBe(false);
  });

  it('expands a star over a USING join with the merged column where the left side has it', () => {
    const a = analyze('select * from raw_orders join customers using (customer_id)');
    expect(namesOf(a)).toEqual(['order_id', 'customer_id', 'amount', 'ordered_at', 'name', 'country']);
  });

  it('expands a star over a NATURAL join as DuckDB does (left columns, then the right ones not shared)', () => {
    expect(namesOf(analyze('select * from raw_orders natural join customers'))).toEqual([
      'order_id',
      'customer_id',
      'amount',
      'ordered_at',
      'name',
      'country',
    ]);
  });

  it('expands a qualified star and keeps an unknown one', () => {
    const sql = 'select c.*, m.* from customers c, mystery m';
    const a = analyze(sql);
    expect(namesOf(a)).toEqual(['customer_id', 'name', 'country', null]);
    expect(a.outputColumns[0]).toMatchObject({ expression: 'c.*', star: false });
    expect(a.outputColumns[3]).toMatchObject({ expression: 'm.*', star: true });
    expect(textOf(sql, a.outputColumns[3]!)).toBe('m.*');
    expect(a.usesStar).toBe(true);
  });

  it('expands stars over CTEs and sub-queries with known columns', () => {
    const sql = `with c as (select order_id, amount * 2 as doubled from raw_orders)
      select * from c join (select customer_id as cid from customers) s on true`;
    expect(namesOf(analyze(sql))).toEqual(['order_id', 'doubled', 'cid']);
  });

  it('uses the leftmost SELECT of a set operation', () => {
    const sql =
      'select order_id, amount as value from raw_orders union all select order_id, total from archive order by value';
    const a = analyze(sql);
    expect(namesOf(a)).toEqual(['order_id', 'value']);
    expect(tablesOf(a)).toEqual(['raw_orders', 'archive']);
    expect(a.columnReads.map((r) => `${r.table}.${r.column}`)).toEqual([
      'raw_orders.order_id',
      'raw_orders.amount',
      'archive.order_id',
      'archive.total',
    ]);
  });

  it('reports VALUES columns without names unless aliased', () => {
    const values = analyze("values (1, 'a'), (2, 'b')");
    expect(values.outputColumns.map((c) => [c.name, c.expression])).toEqual([
      [null, '1'],
      [null, "'a'"],
    ]);
    expect(namesOf(analyze("select * from (values (1, 'a')) as v(id, label)"))).toEqual(['id', 'label']);
  });

  it('keeps spans right after non-ASCII text', () => {
    const sql = `select 'café ☕ 😀' as label, amount from "raw-orders"`;
    const a = analyze(sql);
    expect(textOf(sql, a.tables[0]!)).toBe('"raw-orders"');
    expect(readsOf(sql, a)).toEqual(['raw-orders.amount@amount']);
    expect(a.outputColumns.map((c) => textOf(sql, c))).toEqual([`'café ☕ 😀' as label`, 'amount']);
  });
});

describe('DuckDbSqlAnalyzer: statements and table functions', () => {
  it('reports each statement with its type and the span of its tokens', () => {
    const sql = '-- header\n  SELECT 1;\n\n /* cleanup */ DELETE FROM raw_orders WHERE amount < 0 ;  select 2';
    const a = analyze(sql);
    expect(a.statements?.map((s) => [s.type, textOf(sql, s)])).toEqual([
      ['SelectStmt', 'SELECT 1'],
      ['DeleteStmt', 'DELETE FROM raw_orders WHERE amount < 0'],
      ['SelectStmt', 'select 2'],
    ]);
    expect(analyze('with x as (select 1) delete from t').statements?.map((s) => s.type)).toEqual(['DeleteStmt']);
    expect(analyze("COPY raw_orders TO 'out.csv'; LOAD 'httpfs'").statements?.map((s) => s.type)).toEqual([
      'CopyStmt',
      'LoadStmt',
    ]);
    expect(analyze('').statements).toEqual([]);
  });

  it('reports no statements or table functions with a syntax error', () => {
    const a = analyzer.analyze("select * from read_csv('x.csv') where", tableColumns);
    expect(a.error).toBeDefined();
    expect(a).toMatchObject({ statements: [], tableFunctions: [] });
  });

  it('reports functions used as FROM items, with the span of the call', () => {
    const sql = `select * from "raw-orders" o
      join read_csv('data/customers.csv', header = true) c on c.id = o.customer_id
      where o.order_id in (select id from Main.Read_Parquet('s3://bucket/x.parquet'))
      and o.amount > (select max(x) from generate_series(1, 3) as g(x))`;
    const a = analyze(sql);
    expect(a.tableFunctions?.map((f) => [f.name, f.schema, textOf(sql, f)])).toEqual([
      ['read_csv', undefined, "read_csv('data/customers.csv', header = true)"],
      ['read_parquet', 'main', "Main.Read_Parquet('s3://bucket/x.parquet')"],
      ['generate_series', undefined, 'generate_series(1, 3)'],
    ]);
    expect(tablesOf(a)).toEqual(['raw-orders']);
  });

  it('reports every function of ROWS FROM, LATERAL calls and calls in CTEs', () => {
    const sql =
      "with f as (select * from glob('*.csv')) select * from f, lateral read_json_auto(f.file) j, unnest(array[1]) u, read_text('a.txt') r";
    const a = analyze(sql);
    expect(a.tableFunctions?.map((f) => textOf(sql, f))).toEqual([
      "glob('*.csv')",
      'read_json_auto(f.file)',
      'unnest(array[1])',
      "read_text('a.txt')",
    ]);
  });

  it('does not report scalar function calls', () => {
    expect(analyze("select upper(name), read_text('x') as t from customers").tableFunctions).toEqual([]);
  });
});

describe('DuckDbSqlAnalyzer: syntax errors', () => {
  function errorOf(sql: string) {
    const a = analyzer.analyze(sql, tableColumns);
    expect(a).toMatchObject({
      statementCount: 0,
      isQuery: false,
      tables: [],
      ctes: [],
      outputColumns: [],
      columnReads: [],
      ambiguousReads: [],
      usesStar: false,
    });
    expect(a.error).toBeDefined();
    return { ...a.error!, text: textOf(sql, a.error!) };
  }

  it('spans the offending token', () => {
    expect(errorOf('select amount frm raw_orders')).toEqual({
      message: 'syntax error at or near "raw_orders"',
      start: 18,
      end: 28,
      text: 'raw_orders',
    });
  });

  it('converts the position after non-ASCII characters', () => {
    expect(errorOf("select 'café', amount frm raw_orders").text).toBe('raw_orders');
    expect(errorOf("select '😀 ☕' amount frm raw_orders")).toMatchObject({
      message: 'syntax error at or near "frm"',
      text: 'frm',
      start: 21,
    });
  });

  it('spans the last token at the end of the input', () => {
    expect(errorOf('select amount from  \n')).toMatchObject({ message: 'syntax error at end of input', text: 'from' });
  });

  it('ignores a trailing comment when the input ends early', () => {
    expect(errorOf('select amount from -- to do\n')).toMatchObject({
      message: 'syntax error at end of input',
      text: 'from',
    });
  });

  it('spans an unterminated string', () => {
    const error = errorOf("select 'abc from raw_orders");
    expect(error.message).toMatch(/unterminated quoted string/);
    expect(error.text).toBe("'abc");
  });
});

describe('TextOffsets', () => {
  it('maps UTF-8 byte and code point offsets to JS string offsets', () => {
    const offsets = new TextOffsets("'é😀'x");
    // bytes: ' (0) é (1-2) 😀 (3-6) ' (7) x (8); code points: ' é 😀 ' x; JS units: ' é 😀😀 ' x
    expect([0, 1, 3, 7, 8, 9].map((b) => offsets.fromByte(b))).toEqual([0, 1, 2, 4, 5, 6]);
    expect([0, 1, 2, 3, 4, 5].map((c) => offsets.fromCodePoint(c))).toEqual([0, 1, 2, 4, 5, 6]);
    expect(offsets.fromByte(100)).toBe(6);
    expect(new TextOffsets('plain').fromByte(3)).toBe(3);
  });
});
