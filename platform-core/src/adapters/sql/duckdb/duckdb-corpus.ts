/**
 * DuckDB statements the validator must accept, each with the output columns DuckDB gives it
 * (null: DuckDB names an unaliased expression by its text, which the analysis leaves unnamed;
 * undefined: the columns come from the data, e.g. PIVOT without IN). The corpus test runs each
 * through DuckDB on empty tables of these schemas, and through the analyzer.
 */
export const CORPUS_TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  orders: {
    order_id: 'INTEGER',
    customer_id: 'INTEGER',
    amount: 'DECIMAL(12,2)',
    ordered_at: 'TIMESTAMP',
    order_date: 'DATE',
    status: 'VARCHAR',
    tags: 'VARCHAR[]',
  },
  customers: {
    customer_id: 'INTEGER',
    name: 'VARCHAR',
    segment: 'VARCHAR',
    opened: 'VARCHAR',
    address: 'STRUCT(city VARCHAR, zip VARCHAR)',
  },
  prices: { sku: 'VARCHAR', ts: 'TIMESTAMP', price: 'DOUBLE' },
  trades: { sku: 'VARCHAR', ts: 'TIMESTAMP', qty: 'INTEGER' },
  sales: { region: 'VARCHAR', quarter: 'VARCHAR', revenue: 'DOUBLE' },
  'raw-orders': { order_id: 'INTEGER', amount: 'DOUBLE' },
};

export interface CorpusEntry {
  readonly construct: string;
  readonly sql: string;
  readonly columns: readonly (string | null)[] | undefined;
}

const e = (construct: string, sql: string, columns: readonly (string | null)[] | undefined): CorpusEntry => ({
  construct,
  sql,
  columns,
});

export const CORPUS: readonly CorpusEntry[] = [
  e('TRY_CAST', 'SELECT TRY_CAST(c.opened AS DATE) AS opened_on FROM customers c', ['opened_on']),
  e('TRY_CAST in WHERE', 'SELECT name FROM customers WHERE TRY_CAST(opened AS DATE) IS NOT NULL', ['name']),
  e(
    'list aggregate with ORDER BY, sliced',
    'SELECT customer_id, LIST(DISTINCT order_date ORDER BY order_date DESC)[1:50] AS recent FROM orders GROUP BY customer_id',
    ['customer_id', 'recent'],
  ),
  e('list literal', 'SELECT [1, 2, 3] AS xs, order_id FROM orders', ['xs', 'order_id']),
  e('list index', 'SELECT tags[1] AS first_tag FROM orders', ['first_tag']),
  e('list slice with step', 'SELECT tags[1:3:2] AS some_tags FROM orders', ['some_tags']),
  e('negative list index', 'SELECT tags[-1] AS last_tag FROM orders', ['last_tag']),
  e('struct literal', "SELECT {'id': order_id, 'amount': amount} AS o FROM orders", ['o']),
  e('struct field access', 'SELECT c.address.city AS city FROM customers c', ['city']),
  e('struct field by bracket', "SELECT address['zip'] AS zip FROM customers", ['zip']),
  e(':: cast', 'SELECT amount::DOUBLE AS amount_f, order_id FROM orders', ['amount_f', 'order_id']),
  e(':: cast without alias', 'SELECT order_id::BIGINT FROM orders', [null]),
  e('EXCLUDE', 'SELECT * EXCLUDE (tags, status) FROM orders', [
    'order_id',
    'customer_id',
    'amount',
    'ordered_at',
    'order_date',
  ]),
  e('qualified EXCLUDE', 'SELECT o.* EXCLUDE (tags) FROM orders o', [
    'order_id',
    'customer_id',
    'amount',
    'ordered_at',
    'order_date',
    'status',
  ]),
  e('REPLACE', 'SELECT * REPLACE (amount * 2 AS amount) FROM "raw-orders"', ['order_id', 'amount']),
  e('EXCLUDE and REPLACE', 'SELECT * EXCLUDE (tags) REPLACE (upper(status) AS status) FROM orders', [
    'order_id',
    'customer_id',
    'amount',
    'ordered_at',
    'order_date',
    'status',
  ]),
  e('RENAME', 'SELECT * RENAME (amount AS total) FROM "raw-orders"', ['order_id', 'total']),
  e('COLUMNS regex', "SELECT COLUMNS('order_.*') FROM orders", ['order_id', 'order_date']),
  e('COLUMNS star', 'SELECT COLUMNS(*) FROM "raw-orders"', ['order_id', 'amount']),
  e('COLUMNS in aggregate', "SELECT max(COLUMNS('amount')) FROM orders", undefined),
  e(
    'QUALIFY',
    'SELECT order_id, customer_id FROM orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) = 1',
    ['order_id', 'customer_id'],
  ),
  e(
    'QUALIFY with window alias',
    'SELECT order_id, row_number() OVER (ORDER BY amount) AS rn FROM orders QUALIFY rn <= 10',
    ['order_id', 'rn'],
  ),
  e('GROUP BY ALL', 'SELECT customer_id, status, sum(amount) AS total FROM orders GROUP BY ALL', [
    'customer_id',
    'status',
    'total',
  ]),
  e('ORDER BY ALL', 'SELECT customer_id, status FROM orders ORDER BY ALL', ['customer_id', 'status']),
  e('GROUP BY ALL ORDER BY ALL', 'SELECT status, count(*) AS n FROM orders GROUP BY ALL ORDER BY ALL DESC', [
    'status',
    'n',
  ]),
  e('lambda (arrow)', 'SELECT list_transform(tags, t -> upper(t)) AS upper_tags FROM orders', ['upper_tags']),
  e('lambda with two parameters', 'SELECT list_filter(tags, (t, i) -> i > 1) AS rest FROM orders', ['rest']),
  e('lambda reading a column', 'SELECT list_transform(tags, t -> t || status) AS tagged FROM orders', ['tagged']),
  e('list comprehension', "SELECT [upper(t) FOR t IN tags IF t <> ''] AS cleaned FROM orders", ['cleaned']),
  e('PIVOT with IN', "PIVOT sales ON quarter IN ('Q1', 'Q2') USING sum(revenue) GROUP BY region", [
    'region',
    'Q1',
    'Q2',
  ]),
  e(
    'PIVOT in FROM with IN',
    "SELECT * FROM (PIVOT sales ON quarter IN ('Q1', 'Q2') USING sum(revenue) GROUP BY region) p",
    ['region', 'Q1', 'Q2'],
  ),
  e('PIVOT without IN', 'PIVOT sales ON quarter USING sum(revenue) GROUP BY region', undefined),
  e('UNPIVOT', 'UNPIVOT (SELECT region, revenue FROM sales) ON revenue INTO NAME metric VALUE val', [
    'region',
    'metric',
    'val',
  ]),
  e('SQL-standard PIVOT', "SELECT * FROM sales PIVOT (sum(revenue) FOR quarter IN ('Q1', 'Q2'))", undefined),
  e('ASOF JOIN', 'SELECT t.sku, t.qty, p.price FROM trades t ASOF JOIN prices p ON t.sku = p.sku AND t.ts >= p.ts', [
    'sku',
    'qty',
    'price',
  ]),
  e('ASOF LEFT JOIN USING', 'SELECT sku, qty, price FROM trades ASOF LEFT JOIN prices USING (sku, ts)', [
    'sku',
    'qty',
    'price',
  ]),
  e('POSITIONAL JOIN', 'SELECT t.sku, p.price FROM trades t POSITIONAL JOIN prices p', ['sku', 'price']),
  e('FROM-first', 'FROM orders SELECT order_id, amount', ['order_id', 'amount']),
  e('FROM only', 'FROM "raw-orders"', ['order_id', 'amount']),
  e('FROM-first with WHERE', "FROM orders SELECT order_id WHERE status = 'paid'", ['order_id']),
  e('trailing comma', 'SELECT order_id, amount, FROM orders', ['order_id', 'amount']),
  e('alias reuse in WHERE', 'SELECT amount * 2 AS doubled FROM orders WHERE doubled > 10', ['doubled']),
  e('alias reuse in select list', 'SELECT amount * 2 AS doubled, doubled + 1 AS plus_one FROM orders', [
    'doubled',
    'plus_one',
  ]),
  e('prefix alias', 'SELECT total: amount FROM orders', ['total']),
  e('string slicing', 'SELECT name[1:3] AS initials FROM customers', ['initials']),
  e('function chaining', 'SELECT name.upper().trim() AS shout FROM customers', ['shout']),
  e(
    'UNION BY NAME',
    'SELECT order_id, amount FROM "raw-orders" UNION ALL BY NAME SELECT amount, order_id FROM "raw-orders"',
    ['order_id', 'amount'],
  ),
  e('UNION ALL', 'SELECT order_id AS id FROM orders UNION ALL SELECT customer_id FROM customers', ['id']),
  e(
    'EXCEPT and INTERSECT',
    'SELECT customer_id FROM orders EXCEPT SELECT customer_id FROM customers INTERSECT SELECT customer_id FROM orders',
    ['customer_id'],
  ),
  e(
    'CTE',
    "WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT customer_id, sum(amount) AS revenue FROM paid GROUP BY customer_id",
    ['customer_id', 'revenue'],
  ),
  e('MATERIALIZED CTE', 'WITH t AS MATERIALIZED (SELECT order_id FROM orders) SELECT order_id FROM t', ['order_id']),
  e('recursive CTE', 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r', [
    'n',
  ]),
  e('unnest in select', 'SELECT order_id, unnest(tags) AS tag FROM orders', ['order_id', 'tag']),
  e('unnest in FROM', 'SELECT o.order_id, u.tag FROM orders o, unnest(o.tags) AS u(tag)', ['order_id', 'tag']),
  e('range table function', 'SELECT r.range AS n FROM range(3) r', ['n']),
  e('generate_series', 'SELECT generate_series AS d FROM generate_series(1, 3)', ['d']),
  e('VALUES with column aliases', "SELECT v.code, v.label FROM (VALUES (1, 'a'), (2, 'b')) v(code, label)", [
    'code',
    'label',
  ]),
  e(
    'window with frame',
    'SELECT order_id, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling FROM orders',
    ['order_id', 'rolling'],
  ),
  e(
    'named window',
    'SELECT order_id, rank() OVER w AS r FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY amount DESC)',
    ['order_id', 'r'],
  ),
  e(
    'FILTER clause',
    "SELECT customer_id, count(*) FILTER (WHERE status = 'paid') AS paid FROM orders GROUP BY customer_id",
    ['customer_id', 'paid'],
  ),
  e('arg_max', 'SELECT customer_id, arg_max(order_id, ordered_at) AS last_order FROM orders GROUP BY customer_id', [
    'customer_id',
    'last_order',
  ]),
  e(
    'DISTINCT ON',
    'SELECT DISTINCT ON (customer_id) customer_id, order_id FROM orders ORDER BY customer_id, ordered_at DESC',
    ['customer_id', 'order_id'],
  ),
  e('SAMPLE', 'SELECT order_id FROM orders USING SAMPLE 10%', ['order_id']),
  e('LIMIT percent', 'SELECT order_id FROM orders LIMIT 10%', ['order_id']),
  e('COLUMNS with lambda', "SELECT COLUMNS(c -> c LIKE 'order%') FROM orders", undefined),
  e(
    'correlated sub-query',
    'SELECT c.name, (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.customer_id) AS top FROM customers c',
    ['name', 'top'],
  ),
  e(
    'EXISTS',
    'SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)',
    ['name'],
  ),
  e(
    'LATERAL join',
    'SELECT c.name, l.amount FROM customers c, LATERAL (SELECT amount FROM orders o WHERE o.customer_id = c.customer_id LIMIT 1) l',
    ['name', 'amount'],
  ),
  e(
    'CASE',
    "SELECT CASE WHEN c.segment = 'vip' THEN o.amount END AS vip_amount FROM orders o JOIN customers c USING (customer_id)",
    ['vip_amount'],
  ),
  e('IS DISTINCT FROM', 'SELECT order_id FROM orders WHERE status IS DISTINCT FROM NULL', ['order_id']),
  e('ILIKE and SIMILAR TO', "SELECT name FROM customers WHERE name ILIKE 'a%' OR name SIMILAR TO 'b.*'", ['name']),
  e(
    'regexp and string functions',
    "SELECT regexp_extract(name, '(\\w+)', 1) AS word, strftime(ordered_at, '%Y') AS yr FROM customers, orders",
    ['word', 'yr'],
  ),
  e(
    'date arithmetic',
    "SELECT order_date + INTERVAL 1 DAY AS next_day, date_trunc('month', ordered_at) AS month FROM orders",
    ['next_day', 'month'],
  ),
  e('map literal', "SELECT MAP {'a': 1, 'b': 2} AS m, order_id FROM orders", ['m', 'order_id']),
  e(
    'GROUPING SETS',
    'SELECT customer_id, status, sum(amount) AS s FROM orders GROUP BY GROUPING SETS ((customer_id), (status), ())',
    ['customer_id', 'status', 's'],
  ),
  e('ROLLUP', 'SELECT customer_id, status, count(*) AS n FROM orders GROUP BY ROLLUP (customer_id, status)', [
    'customer_id',
    'status',
    'n',
  ]),
  e('NATURAL JOIN', 'SELECT * FROM orders NATURAL JOIN customers', [
    'order_id',
    'customer_id',
    'amount',
    'ordered_at',
    'order_date',
    'status',
    'tags',
    'name',
    'segment',
    'opened',
    'address',
  ]),
  e(
    'SEMI and ANTI JOIN',
    'SELECT o.order_id FROM orders o SEMI JOIN customers c ON o.customer_id = c.customer_id ANTI JOIN "raw-orders" r ON r.order_id = o.order_id',
    ['order_id'],
  ),
  e('hyphenated input, quoted', 'SELECT r.order_id, r.amount FROM "raw-orders" r', ['order_id', 'amount']),
  e('comments and semicolon', '-- the paid orders\nSELECT order_id /* id */ FROM orders;\n', ['order_id']),
];
