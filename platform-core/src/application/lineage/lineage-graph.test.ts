import { afterAll, describe, expect, it } from 'vitest';
import { AjvSchemaValidator } from '../../adapters/ajv/ajv-schema-validator.js';
import { MemoryWorkspaceFiles } from '../../adapters/memory/memory-workspace-files.js';
import { YamlDocumentParser } from '../../adapters/yaml/yaml-document-parser.js';
import { DuckDbSqlAnalyzer } from '../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { LangiumCheckExpressions } from '../../adapters/langium/langium-check-expressions.js';
import { ALL_RULES } from '../validate/rules/index.js';
import { ValidationSession } from '../validate/validation-session.js';
import { buildLineage, type LineageRequest } from './lineage-graph.js';
import { lineageToMermaid, lineageToText } from './render-lineage.js';
import type { LineageGraph } from '../../domain/lineage/lineage-graph.js';

interface Spec {
  readonly inputs: readonly { id: string; type: 'data_product' | 'connector' }[];
  readonly columns: readonly string[];
  readonly sql?: string;
  readonly python?: string;
}

function product(name: string, spec: Spec): Record<string, string> {
  const inputs = spec.inputs
    .map((i) =>
      i.type === 'data_product'
        ? `  - id: ${i.id}\n    type: data_product\n`
        : `  - id: ${i.id}\n    type: connector\n    connector_ref: files\n    ingestion_strategy: full_refresh\n    ingestion_config:\n      path: ${i.id}.csv\n      format: csv\n`,
    )
    .join('');
  const schema = spec.columns
    .map(
      (c, i) =>
        `  - name: ${c}\n    type: ${i === 0 ? 'integer' : 'decimal(12,2)'}\n${i === 0 ? '    primary_key: true\n    role: identity\n' : ''}`,
    )
    .join('');
  return {
    [`${name}/product.yaml`]: `apiVersion: akili/v1\nkind: DataProduct\nmetadata:\n  name: ${name}\n  domain: retail\n  version: 1.2.0\n  owner: team\n  description: The ${name} product for tests.\n  classification: internal\n`,
    [`${name}/inputs.yaml`]: `apiVersion: akili/v1\nkind: Inputs\ninputs:\n${inputs}`,
    [`${name}/output.yaml`]: `apiVersion: akili/v1\nkind: Output\nschema:\n${schema}`,
    [`${name}/serving.yaml`]: 'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n',
    [`${name}/quality.yaml`]: 'apiVersion: akili/v1\nkind: Quality\nchecks: []\n',
    [`${name}/compute.yaml`]: `apiVersion: akili/v1\nkind: Compute\nruntime: ${spec.python ? 'python' : 'sql'}\n`,
    ...(spec.python
      ? { [`${name}/logic/transform.py`]: spec.python }
      : { [`${name}/logic/transform.sql`]: spec.sql ?? '' }),
  };
}

const WORKSPACE = {
  'hekima.yaml':
    'apiVersion: akili/v1\nkind: Workspace\nconnections:\n  - name: files\n    type: file\n    config:\n      path: data\n',
  ...product('orders', {
    inputs: [{ id: 'raw-orders', type: 'connector' }],
    columns: ['order_id', 'customer_id', 'amount'],
    sql: 'SELECT order_id, customer_id, amount * 1.0 AS amount FROM raw_orders WHERE amount > 0',
  }),
  ...product('customers', {
    inputs: [{ id: 'raw-customers', type: 'connector' }],
    columns: ['customer_id', 'segment'],
    python: 'def transform(inputs):\n    return inputs["raw-customers"]\n',
  }),
  ...product('revenue', {
    inputs: [
      { id: 'orders', type: 'data_product' },
      { id: 'customers', type: 'data_product' },
    ],
    columns: ['customer_id', 'total', 'vip_total'],
    sql: `SELECT o.customer_id, sum(o.amount) AS total,
  sum(CASE WHEN c.segment = 'vip' THEN o.amount END) AS vip_total
FROM orders o JOIN customers c USING (customer_id)
GROUP BY o.customer_id`,
  }),
  ...product('report', {
    inputs: [{ id: 'revenue', type: 'data_product' }],
    columns: ['customer_id', 'total'],
    sql: 'SELECT * EXCLUDE (vip_total) FROM revenue',
  }),
};

const analyzer = new DuckDbSqlAnalyzer();
afterAll(() => analyzer.close());

async function open(files: Record<string, string> = WORKSPACE) {
  return ValidationSession.open({
    files: new MemoryWorkspaceFiles(files),
    parser: new YamlDocumentParser(),
    sql: analyzer,
    expressions: new LangiumCheckExpressions(),
    rules: ALL_RULES,
    schemas: new AjvSchemaValidator(),
  });
}

function graphOf(session: ValidationSession, request: Partial<LineageRequest> & { product: string }): LineageGraph {
  const result = buildLineage(session, { direction: 'up', depth: 2, directOnly: false, ...request });
  if (result.kind !== 'graph') throw new Error(`no graph: ${JSON.stringify(result)}`);
  return result.graph;
}

const edgesOf = (graph: LineageGraph) =>
  graph.edges.map((e) => `${e.from} -> ${e.to} ${e.kind}${e.subtype ? ` ${e.subtype}` : ''}`).sort();

describe('buildLineage', () => {
  it('follows a column upstream across products, with kinds, subtypes and locations', async () => {
    const session = await open();
    const graph = graphOf(session, { product: 'report', column: 'total', directOnly: true });
    expect(graph.root).toBe('report.total');
    expect(edgesOf(graph)).toEqual([
      'orders.amount -> revenue.total direct AGGREGATION',
      'revenue.total -> report.total direct IDENTITY',
    ]);
    const edge = graph.edges.find((e) => e.from === 'orders.amount');
    expect(edge).toMatchObject({ file: 'revenue/logic/transform.sql', range: { start: { line: 1, column: 29 } } });
    expect(graph.truncated).toEqual([{ node: 'orders.amount', more: 1 }]);
    const node = graph.nodes.find((n) => n.id === 'report.total');
    expect(node).toEqual({
      id: 'report.total',
      kind: 'column',
      product: 'report',
      column: 'total',
      version: '1.2.0',
      type: 'decimal(12,2)',
      classification: 'internal',
    });
  });

  it('reaches connector inputs as product/input.column and counts depth in product hops', async () => {
    const session = await open();
    const graph = graphOf(session, { product: 'revenue', column: 'total', depth: 2, directOnly: true });
    expect(edgesOf(graph)).toEqual([
      'orders.amount -> revenue.total direct AGGREGATION',
      'orders/raw-orders.amount -> orders.amount direct TRANSFORMATION',
    ]);
    expect(graph.nodes.find((n) => n.id === 'orders/raw-orders.amount')).toMatchObject({
      kind: 'input',
      input: 'raw-orders',
      product: 'orders',
    });
  });

  it('keeps indirect edges: CONDITIONAL per column, JOIN / GROUP_BY / FILTER on the product node', async () => {
    const session = await open();
    const graph = graphOf(session, { product: 'revenue', column: 'vip_total', depth: 1 });
    expect(edgesOf(graph)).toEqual([
      'customers.customer_id -> revenue indirect JOIN',
      'customers.segment -> revenue.vip_total indirect CONDITIONAL',
      'orders.amount -> revenue.vip_total direct AGGREGATION',
      'orders.customer_id -> revenue indirect GROUP_BY',
      'orders.customer_id -> revenue indirect JOIN',
    ]);
  });

  it('gives Python logic table-level edges of kind unknown, and says so', async () => {
    const session = await open();
    const graph = graphOf(session, { product: 'revenue', column: 'vip_total', depth: 2, directOnly: true });
    expect(edgesOf(graph)).toEqual([
      'orders.amount -> revenue.vip_total direct AGGREGATION',
      'orders/raw-orders.amount -> orders.amount direct TRANSFORMATION',
    ]);
    const python = graphOf(session, { product: 'customers', column: 'segment' });
    expect(edgesOf(python)).toEqual(['customers/raw-customers -> customers.segment unknown']);
    expect(python.notes).toEqual(["customers: Python logic — lineage is table-level (one 'unknown' edge per input)."]);
  });

  it('follows a column downstream, and product-level edges for a whole product', async () => {
    const session = await open();
    const down = graphOf(session, { product: 'orders', column: 'amount', direction: 'down', directOnly: true });
    expect(edgesOf(down)).toEqual([
      'orders.amount -> revenue.total direct AGGREGATION',
      'orders.amount -> revenue.vip_total direct AGGREGATION',
      'revenue.total -> report.total direct IDENTITY',
    ]);
    const whole = graphOf(session, { product: 'report', depth: 1, directOnly: true });
    expect(edgesOf(whole)).toEqual([
      'revenue -> report direct',
      'revenue.customer_id -> report.customer_id direct IDENTITY',
      'revenue.total -> report.total direct IDENTITY',
    ]);
  });

  it('names the nearest product or column when one does not exist', async () => {
    const session = await open();
    const request = { direction: 'up', depth: 2, directOnly: false } as const;
    expect(buildLineage(session, { ...request, product: 'revenu' })).toEqual({
      kind: 'not_found',
      what: 'product',
      name: 'revenu',
      nearest: 'revenue',
    });
    expect(buildLineage(session, { ...request, product: 'revenue', column: 'totl' })).toMatchObject({
      kind: 'not_found',
      what: 'column',
      nearest: 'total',
    });
  });

  it('recomputes after an edit of the logic (the session is incremental)', async () => {
    const session = await open();
    expect(edgesOf(graphOf(session, { product: 'report', column: 'total', depth: 1, directOnly: true }))).toEqual([
      'revenue.total -> report.total direct IDENTITY',
    ]);
    session.update('report/logic/transform.sql', 'SELECT customer_id, total * 100 AS total FROM revenue');
    expect(edgesOf(graphOf(session, { product: 'report', column: 'total', depth: 1, directOnly: true }))).toEqual([
      'revenue.total -> report.total direct TRANSFORMATION',
    ]);
  });

  it('renders Mermaid and text', async () => {
    const session = await open();
    const graph = graphOf(session, { product: 'report', column: 'total', depth: 1, directOnly: true });
    expect(lineageToMermaid(graph)).toContain('-->|IDENTITY|');
    expect(lineageToMermaid(graph)).toContain('+');
    expect(lineageToText(graph)).toContain(
      'report.total (decimal(12,2))\n  ← revenue.total (decimal(12,2))  direct IDENTITY',
    );
  });
});
