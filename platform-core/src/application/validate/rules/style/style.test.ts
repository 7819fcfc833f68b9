import type { CheckExpressions } from '../../../../ports/check-expressions.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { YamlDocumentParser } from '../../../../adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from '../../../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import type { Fix } from '../../../../domain/finding.js';
import { analyzeSql, readLogic } from '../../logic-context.js';
import type { ProductUnit } from '../../product-unit.js';
import type { ProductRule, ReportOptions, Target } from '../../rule.js';
import { readWorkspaceConfig, WorkspaceIndex } from '../../workspace-index.js';
import { sty001ColumnDescription } from './sty-001-column-description.js';
import { sty002TagsContacts } from './sty-002-tags-contacts.js';
import { sty003InputVersionRange } from './sty-003-input-version-range.js';
import { sty004NoQualityChecks } from './sty-004-no-quality-checks.js';
import { sty005SelectStar } from './sty-005-select-star.js';

/** These rules never evaluate check expressions. */
const unusedExpressions: CheckExpressions = {
  check: () => {
    throw new Error('not used by these rules');
  },
  evaluate: () => {
    throw new Error('not used by these rules');
  },
};

const parser = new YamlDocumentParser();
const sql = new DuckDbSqlAnalyzer();
beforeAll(() => sql.ready());

type Files = Partial<Record<'product' | 'inputs' | 'output' | 'quality' | 'sql', string>>;
const KIND = { product: 'DataProduct', inputs: 'Inputs', output: 'Output', quality: 'Quality' } as const;

function unit(folder: string, files: Files): ProductUnit {
  const manifests: Record<string, unknown> = {};
  for (const key of ['product', 'inputs', 'output', 'quality'] as const) {
    const text = files[key];
    if (text !== undefined)
      manifests[KIND[key]] = { file: `${folder}/${key}.yaml`, hash: `${folder}/${key}`, doc: parser.parse(text) };
  }
  const texts = new Map<string, { file: string; text: string; hash: string }>();
  if (files.sql !== undefined)
    texts.set('logic/transform.sql', { file: `${folder}/logic/transform.sql`, text: files.sql, hash: 's' });
  return { folder, manifests: manifests as ProductUnit['manifests'], files: new Set([...texts.keys()]), texts };
}

interface Found {
  target: Target;
  message: string;
  options: ReportOptions;
}

function run(rule: ProductRule, units: ProductUnit[], folder = units[0]!.folder): Found[] {
  const index = new WorkspaceIndex(units, readWorkspaceConfig(undefined));
  const u = units.find((x) => x.folder === folder)!;
  const out: Found[] = [];
  rule.check({
    unit: u,
    index,
    sql,
    expressions: unusedExpressions,
    sqlLogic: () => {
      const logic = readLogic(u);
      return logic && logic.language === 'sql' ? analyzeSql(u, logic, index, sql) : undefined;
    },
    report: (target, message, options) => out.push({ target, message, options }),
    replaceFix: (kind, path, newText, title) => {
      const m = u.manifests[kind];
      const span = m?.doc.scalarSpan(path);
      return m && span
        ? { title, edits: [{ file: m.file, range: m.doc.rangeAt(span.start, span.end), newText }] }
        : undefined;
    },
  });
  return out;
}

/** Applies a fix to a text (single-file edits). */
function apply(text: string, fix: Fix): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) =>
    lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

const ORDERS_OUTPUT =
  'schema:\n  - name: order_id\n    type: integer\n    primary_key: true\n    description: Order number.\n  - name: amount\n    type: decimal(12,2)\n  - name: note\n    type: string\n    description: "  "\n';
const product = (name: string, extra = '') =>
  `metadata:\n  name: ${name}\n  domain: retail\n  version: 1.4.2\n${extra}`;

describe('STY-001', () => {
  it('reports columns without a (non-blank) description', () => {
    const found = run(sty001ColumnDescription, [unit('orders', { output: ORDERS_OUTPUT })]);
    expect(found.map((f) => [('path' in f.target && f.target.path) || '', f.message])).toEqual([
      ['/schema/1/name', "output column 'amount' has no description"],
      ['/schema/2/name', "output column 'note' has no description"],
    ]);
  });
});

describe('STY-002', () => {
  it('reports missing or empty tags and contacts separately', () => {
    const found = run(sty002TagsContacts, [unit('orders', { product: product('orders', '  tags: []\n') })]);
    expect(found.map((f) => [('path' in f.target && f.target.path) || '', f.message])).toEqual([
      ['/metadata/tags', "product 'orders' has no tags"],
      ['/metadata', "product 'orders' has no contacts"],
    ]);
    expect(
      run(sty002TagsContacts, [
        unit('orders', { product: product('orders', '  tags: [a]\n  contacts:\n    - name: Jane\n') }),
      ]),
    ).toEqual([]);
    expect(
      run(sty002TagsContacts, [unit('orders', { product: product('orders', '  tags: a\n  contacts: 3\n') })]),
    ).toEqual([]);
  });
});

describe('STY-003', () => {
  const inputs =
    'inputs:\n  - id: orders\n    type: data_product\n  - id: customers\n    type: data_product\n    version: latest\n  - {id: extra, type: data_product}\n  - id: pinned\n    type: data_product\n    version: ^1.0.0\n';
  const units = () => [
    unit('report', { product: product('report'), inputs }),
    unit('orders', { product: product('orders') }),
    unit('customers', { product: product('customers').replace('1.4.2', '0.3.0') }),
    unit('extra', { product: product('extra') }),
    unit('pinned', { product: product('pinned') }),
  ];

  it('reports absent and latest versions with fixes pinning the current upstream version', () => {
    const found = run(sty003InputVersionRange, units(), 'report');
    expect(found.map((f) => [('path' in f.target && f.target.path) || '', f.message])).toEqual([
      ['/inputs/0/id', "input 'orders' declares no version range"],
      ['/inputs/1/version', "input 'customers' reads version 'latest' instead of a version range"],
      ['/inputs/2/id', "input 'extra' declares no version range"],
    ]);
    const [orders, customers, extra] = found;
    expect(apply(inputs, orders!.options.fix!)).toContain(
      '  - id: orders\n    version: "^1.4.2"\n    type: data_product\n',
    );
    expect(customers!.options.fix!.edits[0]!.newText).toBe('^0.3.0');
    expect(extra!.options.fix).toBeUndefined(); // flow style: no insertion
  });
});

describe('STY-004', () => {
  it('reports an empty checks list, naming the primary key in the hint', () => {
    const found = run(sty004NoQualityChecks, [unit('orders', { output: ORDERS_OUTPUT, quality: 'checks: []\n' })]);
    expect(found).toHaveLength(1);
    expect(found[0]!.options.hint).toContain('columns: [order_id]');
    expect(run(sty004NoQualityChecks, [unit('orders', { quality: 'kind: Quality\n' })])).toEqual([]);
    expect(
      run(sty004NoQualityChecks, [unit('orders', { quality: 'checks:\n  - name: a\n    type: volume\n' })]),
    ).toEqual([]);
  });
});

describe('STY-005', () => {
  const upstream = unit('orders', {
    product: product('orders'),
    output: 'schema:\n  - name: order_id\n    type: integer\n  - name: amount\n    type: integer\n',
  });
  const consumer = (text: string) =>
    unit('report', {
      product: product('report'),
      inputs: 'inputs:\n  - id: orders\n    type: data_product\n  - id: raw\n    type: connector\n',
      sql: text,
    });

  it('expands a star over known columns as a fix', () => {
    const text = 'SELECT *\nFROM orders';
    const found = run(sty005SelectStar, [consumer(text), upstream]);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe(
      'the final SELECT of logic/transform.sql uses *: the output columns follow whatever the inputs contain',
    );
    expect(apply(text, found[0]!.options.fix!)).toBe('SELECT order_id, amount\nFROM orders');
  });

  it('reports a qualified star, and offers no fix when columns are unknown', () => {
    const text = 'SELECT o.*, r.*\nFROM orders AS o JOIN raw AS r ON r.id = o.order_id';
    const found = run(sty005SelectStar, [consumer(text), upstream]);
    expect(
      found.map((f) => [
        f.message.split(' uses ')[1]!.split(':')[0],
        f.options.fix ? apply(text, f.options.fix) : undefined,
      ]),
    ).toEqual([
      ['o.*', 'SELECT o.order_id, o.amount, r.*\nFROM orders AS o JOIN raw AS r ON r.id = o.order_id'],
      ['r.*', undefined],
    ]);
  });

  it('ignores stars in CTEs, COUNT(*) and broken SQL', () => {
    expect(
      run(sty005SelectStar, [
        consumer('WITH t AS (SELECT * FROM orders)\nSELECT order_id, COUNT(*) AS n FROM t GROUP BY order_id'),
        upstream,
      ]),
    ).toEqual([]);
    expect(run(sty005SelectStar, [consumer('SELECT * FRM orders'), upstream])).toEqual([]);
  });
});
