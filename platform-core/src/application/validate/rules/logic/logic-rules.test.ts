/**
 * Tests of the 'logic' family (LOG-001 … LOG-012):
 * - the valid minimal workspace yields none of their findings;
 * - every fix they attach to their invalid fixtures applies cleanly and removes its finding;
 * - variants the fixtures do not cover, false-positive guards, and malformed input (never throw).
 */
import { applyFix } from '../../../../domain/text-edits.js';
import { LineIndex } from '../../../../domain/text-positions.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invalidRoot, workspacesRoot } from '@hekima/fixtures';
import { MemoryWorkspaceFiles } from '../../../../adapters/memory/memory-workspace-files.js';
import { createPlatform } from '../../../../composition.js';
import type { Finding } from '../../../../domain/finding.js';
import { ValidationSession } from '../../validation-session.js';
import { ALL_RULES } from '../index.js';
import { scanPython } from './python-scan.js';
import { statementHeads } from './sql-text.js';

const LOG_CODES = new Set(ALL_RULES.filter((r) => r.family === 'logic').map((r) => r.code));
const platform = createPlatform();

function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'expected-findings.json')
        files.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

async function validate(files: Map<string, string>): Promise<Finding[]> {
  // The platform's own adapters, over files in memory.
  const deps = { ...platform.validationDeps('.'), files: new MemoryWorkspaceFiles(files) };
  const session = await ValidationSession.open(deps, 'full');
  return [...session.validateAll().findings];
}

async function logFindings(files: Map<string, string>): Promise<Finding[]> {
  return (await validate(files)).filter((f) => LOG_CODES.has(f.code));
}

const offsetOf = (text: string, line: number, column: number): number => new LineIndex(text).offset(line, column);

function minimal(): Map<string, string> {
  return readTree(join(workspacesRoot, 'minimal'));
}

function withFile(files: Map<string, string>, path: string, text: string | undefined): Map<string, string> {
  const out = new Map(files);
  if (text === undefined) out.delete(path);
  else out.set(path, text);
  return out;
}

function patch(files: Map<string, string>, path: string, from: string, to: string): Map<string, string> {
  const text = files.get(path);
  if (text === undefined || !text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  return withFile(files, path, text.replace(from, to));
}

/** The minimal workspace with the SQL of one product replaced. */
function withSql(product: string, text: string, files = minimal()): Map<string, string> {
  return withFile(files, `${product}/logic/transform.sql`, text);
}

const summary = (f: Finding) =>
  `${f.code} ${f.file}:${f.range.start.line}:${f.range.start.column}${f.path ? ' ' + f.path : ''}`;

/** The text a finding's range covers. */
function covered(files: Map<string, string>, f: Finding): string {
  const text = files.get(f.file) ?? '';
  return text.slice(
    offsetOf(text, f.range.start.line, f.range.start.column),
    offsetOf(text, f.range.end.line, f.range.end.column),
  );
}

const ORDERS_SQL =
  'SELECT order_id, customer_id, CAST(amount AS DECIMAL(12, 2)) AS amount, ordered_at\nFROM "raw-orders"';

describe('logic rules', () => {
  it('find nothing in the valid minimal workspace', async () => {
    expect((await logFindings(minimal())).map(summary)).toEqual([]);
  });

  const cases = readdirSync(invalidRoot).filter((name) => name.startsWith('log-'));

  it('have an invalid fixture for every code', () => {
    const covered = new Set(cases.map((name) => name.split('-').slice(0, 2).join('-').toUpperCase()));
    expect([...LOG_CODES].filter((c) => !covered.has(c))).toEqual([]);
  });

  for (const name of cases) {
    it(`${name}: every fix applies and removes its finding without adding errors`, async () => {
      const files = readTree(join(invalidRoot, name));
      const before = await validate(files);
      const beforeKeys = new Set(before.map(summary));
      for (const finding of before.filter((f) => LOG_CODES.has(f.code) && f.fix)) {
        const after = await validate(applyFix(files, finding.fix!));
        expect(after.map(summary), `after '${finding.fix!.title}'`).not.toContain(summary(finding));
        const added = after.filter((f) => f.severity === 'error' && !beforeKeys.has(summary(f)));
        expect(added.map(summary), `after '${finding.fix!.title}'`).toEqual([]);
      }
    });
  }
});

describe('LOG-001 syntax errors', () => {
  it('reports the parser message on the offending token', async () => {
    const files = withSql('orders', 'SELECT order_id, amount\nFORM "raw-orders"');
    const found = await logFindings(files);
    expect(found.map(summary)).toEqual(['LOG-001 orders/logic/transform.sql:2:6']);
    expect(found[0]?.message).toContain('syntax error at or near');
    expect(covered(files, found[0]!)).toBe('"raw-orders"');
  });

  it('leaves DuckDB file reads and extension statements to LOG-011', async () => {
    const literal = withSql('orders', "SELECT order_id FROM 'data/orders.csv'");
    // DuckDB parses the file read, so the other rules see the query too: it reads no input and
    // selects one of the output's columns.
    expect((await logFindings(literal)).map((f) => [f.code, covered(literal, f)])).toEqual([
      ['LOG-010', 'raw-orders'],
      ['LOG-011', "'data/orders.csv'"],
      ['LOG-005', 'customer_id'],
      ['LOG-005', 'amount'],
      ['LOG-005', 'ordered_at'],
    ]);
    const install = withSql('orders', `INSTALL httpfs;\nLOAD httpfs;\n${ORDERS_SQL}`);
    expect((await logFindings(install)).map((f) => [f.code, covered(install, f)])).toEqual([
      ['LOG-011', 'INSTALL httpfs'],
      ['LOG-011', 'LOAD httpfs'],
    ]);
    const attach = withSql('orders', `ATTACH 'warehouse.duckdb' AS wh;\n${ORDERS_SQL}`);
    expect((await logFindings(attach)).map((f) => f.code)).toEqual(['LOG-011']);
  });

  it('still reports a syntax error elsewhere next to a DuckDB statement', async () => {
    const files = withSql('orders', 'SELECT order_id FROM "raw-orders" WHERE;\nINSTALL httpfs');
    expect((await logFindings(files)).map((f) => f.code).sort()).toEqual(['LOG-001', 'LOG-011']);
  });
});

describe('LOG-002 a single query', () => {
  it('reports an empty file and a file of comments', async () => {
    expect((await logFindings(withSql('orders', ''))).map((f) => f.code)).toEqual(['LOG-002']);
    const comments = await logFindings(withSql('orders', '-- to do\n/* later */\n'));
    expect(comments.map((f) => [f.code, f.message])).toEqual([
      ['LOG-002', 'logic/transform.sql contains no SQL statement'],
    ]);
  });

  it('reports every statement but the final SELECT', async () => {
    const files = withSql('orders', `SELECT 1;\nCREATE TABLE t AS SELECT 2;\n${ORDERS_SQL};\n`);
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f)])).toEqual([
      ['LOG-002', 'SELECT 1'],
      ['LOG-002', 'CREATE TABLE t AS SELECT 2'],
    ]);
    expect(found[1]?.message).toContain('CREATE TABLE … AS');
  });

  it('reports a single statement that is not a query, and not its tables', async () => {
    const files = withSql('orders', 'INSERT INTO target SELECT * FROM "raw-orders"');
    const found = await logFindings(files);
    expect(found.map((f) => f.code)).toEqual(['LOG-002']);
    expect(found[0]?.message).toBe(
      'logic/transform.sql is an INSERT statement, not a query; the logic must be a single SELECT whose result becomes the output',
    );
  });

  it('accepts one query with a trailing semicolon and WITH clauses', async () => {
    expect(
      await logFindings(
        withSql('orders', `WITH o AS (SELECT * FROM raw_orders)\n${ORDERS_SQL.replace('"raw-orders"', 'o')};`),
      ),
    ).toEqual([]);
  });
});

describe('LOG-003 tables', () => {
  it('suggests the nearest input and fixes the name with its underscore form', async () => {
    const files = withSql('orders', ORDERS_SQL.replace('"raw-orders"', 'raw_order'));
    const found = await logFindings(files);
    expect(found.map(summary)).toEqual([
      'LOG-010 orders/inputs.yaml:4:9 /inputs/0/id',
      'LOG-003 orders/logic/transform.sql:2:6',
    ]);
    expect(found[1]?.hint).toContain("Did you mean input 'raw-orders' (raw_orders)?");
    expect(found[1]?.fix?.edits[0]?.newText).toBe('raw_orders');
    expect(await logFindings(applyFix(files, found[1]!.fix!))).toEqual([]);
  });

  it('refuses schema-qualified tables, with a fix when the table is an input', async () => {
    const files = withSql('orders', ORDERS_SQL.replace('"raw-orders"', 'main.raw_orders'));
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f), f.fix?.edits[0]?.newText])).toEqual([
      ['LOG-003', 'main.raw_orders', 'raw_orders'],
    ]);
    const catalog = withSql('orders', ORDERS_SQL.replace('"raw-orders"', 'db.main."raw-orders"'));
    const qualified = await logFindings(catalog);
    expect(qualified.map((f) => [f.code, covered(catalog, f), f.fix?.edits[0]?.newText])).toEqual([
      ['LOG-003', 'db.main."raw-orders"', '"raw-orders"'],
    ]);
  });

  it('says when a table is this product itself', async () => {
    const files = withSql('orders', `${ORDERS_SQL}\nUNION ALL SELECT * FROM orders`);
    const found = (await logFindings(files)).filter((f) => f.code === 'LOG-003');
    expect(found.map((f) => f.message)).toEqual([
      "table 'orders' is this product's own output; the logic reads only its inputs",
    ]);
  });

  it('quotes a suggested input id that is a reserved word', async () => {
    let files = patch(minimal(), 'orders/inputs.yaml', 'id: raw-orders', 'id: order');
    files = withSql('orders', ORDERS_SQL.replace('"raw-orders"', 'ordr'), files);
    const found = (await logFindings(files)).filter((f) => f.code === 'LOG-003');
    expect(found[0]?.fix?.edits[0]?.newText).toBe('"order"');
  });

  it('does not take CTEs or a CTE that shadows an input for tables', async () => {
    const files = withSql(
      'orders',
      `WITH cleaned AS (SELECT * FROM "raw-orders" WHERE amount > 0)\n${ORDERS_SQL.replace('"raw-orders"', 'cleaned')}`,
    );
    expect(await logFindings(files)).toEqual([]);
  });
});

describe('LOG-004 columns of data_product inputs', () => {
  const CO = 'customer-orders/logic/transform.sql';
  const original = () => minimal().get(CO)!;

  it('reports a column missing from the upstream output.yaml, with a fix', async () => {
    const files = withFile(minimal(), CO, original().replace('SUM(amount)', 'SUM(amout)'));
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f), f.message])).toEqual([
      ['LOG-004', 'amout', "input 'orders' has no column 'amout'"],
    ]);
    expect(found[0]?.fix?.edits[0]?.newText).toBe('amount');
  });

  it('reports an unqualified column that none of the joined inputs has', async () => {
    const files = withFile(minimal(), CO, original().replace('c.name,', 'nmae AS name,'));
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f)])).toEqual([['LOG-004', 'nmae']]);
    expect(found[0]?.message).toBe("column 'nmae' is in none of the inputs it could come from ('customers')");
    expect(found[0]?.fix?.edits[0]?.newText).toBe('name');
  });

  it('reports an unqualified column of a join of two data_product inputs', async () => {
    const files = withFile(
      minimal(),
      CO,
      'SELECT c.customer_id, c.name, COUNT(o.order_id) AS order_count, SUM(amont) AS revenue\nFROM customers c JOIN orders o ON o.customer_id = c.customer_id\nGROUP BY c.customer_id, c.name',
    );
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f)])).toEqual([['LOG-004', 'amont']]);
    expect(found[0]?.message).toBe(
      "column 'amont' is in none of the inputs it could come from ('customers', 'orders')",
    );
  });

  it('reports a column read through a CTE only where it is written', async () => {
    const files = withFile(
      minimal(),
      CO,
      'WITH t AS (SELECT customer_id, amout AS amount FROM orders)\nSELECT c.customer_id, c.name, 0 AS order_count, t.amount AS revenue\nFROM customers c JOIN t USING (customer_id)',
    );
    expect((await logFindings(files)).map((f) => [f.code, covered(files, f)])).toEqual([['LOG-004', 'amout']]);
  });

  it('compares names case-insensitively, as DuckDB does', async () => {
    const files = withFile(
      minimal(),
      CO,
      original().replace('c.name,', 'c."Name" AS name,').replace('SUM(amount)', 'SUM(AMOUNT)'),
    );
    expect(await logFindings(files)).toEqual([]);
  });

  it('stays silent when it cannot be sure', async () => {
    // Connector inputs: columns unknown.
    expect(
      await logFindings(withSql('orders', ORDERS_SQL.replace('ordered_at\n', 'ordered_at, whatever AS x\n'))),
    ).toEqual(expect.not.arrayContaining([expect.objectContaining({ code: 'LOG-004' })]));
    // The upstream output.yaml has an entry without a name (being edited).
    let files = withFile(minimal(), CO, original().replace('SUM(amount)', 'SUM(amout)'));
    files = patch(files, 'orders/output.yaml', '  - name: ordered_at\n', '  - nam: ordered_at\n');
    expect((await logFindings(files)).filter((f) => f.code === 'LOG-004')).toEqual([]);
    // Two products share the upstream name.
    files = withFile(minimal(), CO, original().replace('SUM(amount)', 'SUM(amout)'));
    for (const [path, text] of minimal())
      if (path.startsWith('orders/')) files.set(path.replace('orders/', 'orders-copy/'), text);
    expect((await logFindings(files)).filter((f) => f.code === 'LOG-004')).toEqual([]);
    // A product of the same name in another domain: the input reads the one of its own domain.
    files = new Map(minimal());
    for (const [path, text] of minimal())
      if (path.startsWith('orders/'))
        files.set(
          path.replace('orders/', 'finance-orders/'),
          text.replace('domain: retail', 'domain: finance').replace('name: amount', 'name: total'),
        );
    expect((await logFindings(files)).filter((f) => f.code === 'LOG-004')).toEqual([]);
    // Whole-row references and DuckDB's rowid.
    files = withFile(minimal(), CO, original().replace('COUNT(*)', 'COUNT(orders) + COUNT(rowid)'));
    expect(await logFindings(files)).toEqual([]);
  });
});

describe('LOG-005 … LOG-008 the final SELECT against output.yaml', () => {
  it('offers to rename a misspelt alias (LOG-006) and reports the missing column on output.yaml (LOG-005)', async () => {
    const files = withSql('orders', ORDERS_SQL.replace('AS amount', 'AS amout'));
    const found = await logFindings(files);
    expect(found.map(summary)).toEqual([
      'LOG-006 orders/logic/transform.sql:1:31',
      'LOG-005 orders/output.yaml:12:11 /schema/2/name',
    ]);
    const rename = found.find((f) => f.code === 'LOG-006')!;
    expect(rename.fix?.edits[0]?.newText).toBe('amount');
    expect(found.find((f) => f.code === 'LOG-005')?.hint).toContain("The final SELECT produces 'amout'");
    expect(await logFindings(applyFix(files, rename.fix!))).toEqual([]);
  });

  it('appends an alias to a plain column that should be renamed', async () => {
    const files = withSql('orders', ORDERS_SQL.replace('ordered_at\n', 'ordered\n'));
    const rename = (await logFindings(files)).find((f) => f.code === 'LOG-006')!;
    expect(rename.fix?.edits[0]?.newText).toBe(' AS ordered_at');
    expect(await logFindings(applyFix(files, rename.fix!))).toEqual([]);
  });

  it('expands a star over a data_product input, and skips an unknown star', async () => {
    const CO = 'customer-orders/logic/transform.sql';
    const files = withFile(minimal(), CO, 'SELECT * FROM customers');
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, f.path || covered(files, f)])).toEqual([
      ['LOG-010', '/inputs/0/id'],
      ['LOG-006', '*'],
      ['LOG-005', '/schema/2/name'],
      ['LOG-005', '/schema/3/name'],
    ]);
    expect(found[1]?.message).toBe("column 'country' (from *) of the final SELECT is not declared in output.yaml");
    expect(await logFindings(withSql('orders', 'SELECT * FROM "raw-orders"'))).toEqual([]);
  });

  it('names an unnamed expression only when the missing column is certain', async () => {
    const two = withSql('orders', 'SELECT order_id, customer_id, amount * 1, ordered_at FROM "raw-orders"');
    const found = await logFindings(two);
    expect(found.map((f) => f.code)).toEqual(['LOG-007', 'LOG-005']);
    expect(found[0]?.fix?.edits[0]?.newText).toBe(' AS amount');
    // DuckDB names an unaliased cast by its text (CAST(ordered_at AS DATE)), not by the column.
    const cast = withSql('orders', 'SELECT order_id, customer_id, amount, ordered_at::date FROM "raw-orders"');
    const castFound = await logFindings(cast);
    expect(castFound.map((f) => f.code)).toEqual(['LOG-007', 'LOG-005']);
    expect(castFound[0]?.fix?.edits[0]?.newText).toBe(' AS ordered_at');
    const values = withSql('orders', "VALUES (1, 2, 3.5, '2026-01-01')");
    const unnamed = (await logFindings(values)).filter((f) => f.code === 'LOG-007');
    expect(unnamed).toHaveLength(4);
    expect(unnamed.every((f) => f.fix === undefined)).toBe(true);
  });

  it('reports a column produced twice, also through a star', async () => {
    const files = withSql('orders', 'SELECT *, amount AS AMOUNT FROM raw_orders'.replace('raw_orders', '"raw-orders"'));
    expect(await logFindings(files)).toEqual([]); // unknown star: nothing to compare
    const CO = 'customer-orders/logic/transform.sql';
    const join = withFile(
      minimal(),
      CO,
      'SELECT c.*, o.customer_id, 0 AS order_count, 0 AS revenue FROM customers c JOIN orders o USING (customer_id)',
    );
    const found = (await logFindings(join)).filter((f) => f.code === 'LOG-008');
    expect(found.map((f) => [covered(join, f), f.message])).toEqual([
      [
        'o.customer_id',
        "column 'customer_id' appears more than once in the final SELECT (from c.* at line 1, column 8)",
      ],
    ]);
  });

  it('compares with output.yaml only for a final SELECT', async () => {
    const files = withSql('orders', `${ORDERS_SQL};\nDELETE FROM "raw-orders"`);
    expect((await logFindings(files)).map((f) => f.code)).toEqual(['LOG-002']);
  });
});

describe('LOG-009 Python entrypoint', () => {
  function python(text: string): Map<string, string> {
    let files = withFile(minimal(), 'orders/logic/transform.sql', undefined);
    files = withFile(files, 'orders/logic/transform.py', text);
    return patch(
      files,
      'orders/compute.yaml',
      'runtime: sql\nentrypoint: logic/transform.sql',
      'runtime: python\nentrypoint: logic/transform.py',
    );
  }

  it('accepts def, async def, assignments and imports at the top level', async () => {
    for (const text of [
      'import pandas as pd\n\n\ndef transform(inputs):\n    return inputs["raw-orders"]\n',
      'async def transform(inputs):\n    return None\n',
      '@cache\ndef transform(\n    inputs,\n):\n    pass\n',
      'from .impl import clean as transform\n',
      'from .impl import (\n    helper,\n    transform,\n)\n',
      'from .impl import *\n',
      'transform = make_transform()\n',
      'try:\n    import polars\n    def transform(inputs):\n        pass\nexcept ImportError:\n    transform = None\n',
    ]) {
      expect(await logFindings(python(text)), text).toEqual([]);
    }
  });

  it('reports a module without transform on its first line', async () => {
    const files = python('import pandas as pd\n\ndef run(inputs):\n    pass\n');
    const found = await logFindings(files);
    expect(found.map((f) => [summary(f), f.message])).toEqual([
      [
        'LOG-009 orders/logic/transform.py:1:1',
        'logic/transform.py does not define a top-level function transform (it defines run)',
      ],
    ]);
    expect(found[0]?.hint).toContain('def transform(inputs: dict[str, list[dict]]) -> list[dict]:');
    expect(found[0]?.hint).toContain('a list of dicts (one per row), whether or not pandas is installed');
  });

  it('does not count transform in comments, strings, class bodies or other imports', async () => {
    const text = [
      '# def transform(inputs):',
      "HELP = '''",
      'def transform(inputs):',
      "'''",
      'class Job:',
      '    def transform(self, inputs):',
      '        pass',
      'from .impl import transform as other',
      '',
    ].join('\n');
    const found = await logFindings(python(text));
    expect(found.map((f) => [summary(f), f.message])).toEqual([
      [
        'LOG-009 orders/logic/transform.py:6:9',
        'logic/transform.py defines transform inside a class or function, not at the top level of the module',
      ],
    ]);
  });

  it('stays silent on a module that ends inside an open string', async () => {
    expect(await logFindings(python('"""docstring never closed\n\ndef run():\n    pass\n'))).toEqual([]);
  });
});

describe('LOG-010 unread inputs', () => {
  it('counts reads anywhere, by id or underscore form', async () => {
    const files = withFile(
      minimal(),
      'customer-orders/logic/transform.sql',
      'WITH o AS (SELECT * FROM orders)\nSELECT c.customer_id, c.name, 0 AS order_count, 0 AS revenue FROM "customers" c WHERE EXISTS (SELECT 1 FROM o)',
    );
    expect(await logFindings(files)).toEqual([]);
  });

  it('is silent while the SQL does not parse', async () => {
    const files = withSql('orders', 'SELECT FROM WHERE');
    expect((await logFindings(files)).map((f) => f.code)).toEqual(['LOG-001']);
  });
});

describe('LOG-011 external reads', () => {
  it('reports file-reading table functions anywhere, and not other table functions', async () => {
    const files = withSql(
      'orders',
      `${ORDERS_SQL}\nWHERE order_id IN (SELECT id FROM read_parquet('s3://bucket/ok.parquet'))\n  AND amount > (SELECT max(x) FROM generate_series(1, 3) AS g(x))\n  AND customer_id IN (SELECT u FROM unnest(array[1, 2]) AS t(u))`,
    );
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f)])).toEqual([
      ['LOG-011', "read_parquet('s3://bucket/ok.parquet')"],
    ]);
  });

  it('reports quoted file paths as tables instead of LOG-003', async () => {
    const files = withSql('orders', ORDERS_SQL.replace('"raw-orders"', '"data/orders.csv"'));
    expect((await logFindings(files)).map((f) => f.code)).toEqual(['LOG-010', 'LOG-011']);
  });

  it('reports COPY and LOAD statements instead of LOG-002', async () => {
    const files = withSql('orders', `LOAD 'httpfs';\n${ORDERS_SQL};\nCOPY (SELECT 1) TO 'out.csv'`);
    const found = await logFindings(files);
    expect(found.map((f) => [f.code, covered(files, f)])).toEqual([
      ['LOG-011', "LOAD 'httpfs'"],
      ['LOG-011', "COPY (SELECT 1) TO 'out.csv'"],
    ]);
  });
});

describe('robustness', () => {
  it('never throws on malformed manifests and odd SQL', async () => {
    const variants: Map<string, string>[] = [
      withFile(minimal(), 'customer-orders/inputs.yaml', 'apiVersion: akili/v1\nkind: Inputs\ninputs: "nope"\n'),
      withFile(
        minimal(),
        'customer-orders/inputs.yaml',
        'apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - 3\n  - id: 4\n  - id: orders\n',
      ),
      withFile(minimal(), 'orders/output.yaml', 'apiVersion: akili/v1\nkind: Output\nschema: null\n'),
      withFile(minimal(), 'orders/output.yaml', 'apiVersion: akili/v1\nkind: Output\nschema:\n  - x\n  - name: 5\n'),
      withFile(minimal(), 'orders/output.yaml', ': : :\n'),
      withSql('orders', ';;;'),
      withSql('orders', 'SELECT \'café ☕ 😀\' AS label, "Ünïcode" FROM "raw-orders" -- é'),
      withSql('orders', 'SELECT $$ unterminated'),
      withSql('orders', 'SELECT (((('),
      withSql(
        'customer-orders',
        'SELECT * FROM (SELECT * FROM orders) s NATURAL JOIN customers, LATERAL (SELECT s.*) x',
      ),
      withFile(minimal(), 'orders/compute.yaml', 'apiVersion: akili/v1\nkind: Compute\nentrypoint: 42\n'),
    ];
    for (const files of variants) await expect(validate(files)).resolves.toBeDefined();
  });
});

describe('helpers', () => {
  it('statementHeads splits on semicolons outside strings, comments and dollar quotes', () => {
    const text = "select ';' ; -- x; y\n /* a; /* b; */ c; */ INSTALL httpfs; $t$ ; $t$; e'\\';' ; ;";
    expect(statementHeads(text).map((h) => [h.word, text.slice(h.start, h.end)])).toEqual([
      ['select', "select ';'"],
      ['install', 'INSTALL httpfs'],
      ['', '$t$ ; $t$'],
      ['e', "e'\\';'"],
    ]);
  });

  it('scanPython finds defs with their positions and scopes', () => {
    const text =
      'def a():\n    def b():\n        pass\nclass C:\n    def transform(self): pass\nasync  def  d (x):\n    pass\n';
    const scan = scanPython(text);
    expect(scan.defs.map((d) => [d.name, text.slice(d.start, d.end), d.inScope])).toEqual([
      ['a', 'a', false],
      ['b', 'b', true],
      ['transform', 'transform', true],
      ['d', 'd', false],
    ]);
    expect(scan.topLevelTransform).toBe(false);
    expect(scanPython('x = f"{a["k"]}"\ndef transform(i): pass\n').topLevelTransform).toBe(true);
    // A continuation line does not close the class body.
    expect(scanPython('class A:\n    x = 1 + \\\n2\n    def transform(self): pass\n').topLevelTransform).toBe(false);
    expect(scanPython('from m import (a,\n    transform as other)\n').topLevelTransform).toBe(false);
    expect(scanPython('from m import (a,\n    transform)\n').topLevelTransform).toBe(true);
  });
});

describe('LOG-012 DuckDB-only SQL on Spark', () => {
  const SQL = `FROM "raw-orders" SELECT * EXCLUDE (customer_id) QUALIFY row_number() OVER (ORDER BY amount) = 1`;
  it('warns on each DuckDB-only construct when compute.yaml sets engine: spark', async () => {
    const spark = withFile(
      withSql('orders', SQL),
      'orders/compute.yaml',
      'apiVersion: akili/v1\nkind: Compute\nruntime: sql\nengine: spark\n',
    );
    const found = (await logFindings(spark)).filter((f) => f.code === 'LOG-012');
    expect(found.map((f) => [f.severity, covered(spark, f), f.message.split(' is ')[0]])).toEqual([
      ['warning', 'FROM', 'FROM-first query'],
      ['warning', '*', 'SELECT * EXCLUDE / REPLACE / RENAME'],
      ['warning', 'QUALIFY', 'QUALIFY'],
    ]);
  });

  it('says nothing on DuckDB', async () => {
    expect((await logFindings(withSql('orders', SQL))).filter((f) => f.code === 'LOG-012')).toEqual([]);
  });
});
