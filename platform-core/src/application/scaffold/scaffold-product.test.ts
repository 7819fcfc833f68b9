import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MemoryWorkspaceFiles } from '../../adapters/memory/memory-workspace-files.js';
import { DuckDbSqlAnalyzer } from '../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { CONNECTORS, ingestionDefault, missingIngestionSettings } from '../../domain/connectors.js';
import { CONNECTION_TYPES, type ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { createPlatform } from '../../composition.js';
import { validateWorkspace } from '../validate/validate-workspace.js';
import type { Finding } from '../../domain/finding.js';
import {
  checkArchetype,
  checkProductName,
  scaffoldProduct,
  type ExistingConnection,
  type ExistingProduct,
  type ScaffoldRequest,
  type ScaffoldResult,
  type WorkspaceView,
} from './scaffold-product.js';
import { DuckDbEngine } from '../../adapters/duckdb/duckdb-engine.js';
import { withExpectedOutput } from './expected-output.js';
import { suggestProductName } from './naming.js';
import type { ScaffoldColumn } from './query-plan.js';
import { sqlIdent } from './text.js';

const sql = new DuckDbSqlAnalyzer();
const engine = new DuckDbEngine();
beforeAll(() => sql.ready());

const col = (name: string, type: string, extra: Partial<ScaffoldColumn> = {}): ScaffoldColumn => ({
  name,
  type,
  primaryKey: false,
  nullable: true,
  role: 'attribute',
  ...extra,
});
const pk = (name: string, type: string): ScaffoldColumn =>
  col(name, type, { primaryKey: true, nullable: false, role: 'identity' });

/** A workspace given as files; the view is derived from the same text the validator reads. */
class Workspace {
  readonly files = new Map<string, string>();

  product(p: {
    name: string;
    folder?: string;
    domain?: string;
    owner?: string;
    classification?: string;
    version?: string;
    columns: ScaffoldColumn[];
  }): this {
    const folder = p.folder ?? p.name;
    const columns = p.columns
      .map(
        (c) =>
          `  - name: ${c.name}\n    type: "${c.type}"\n${c.primaryKey ? '    primary_key: true\n' : ''}${c.role !== 'attribute' ? `    role: ${c.role}\n` : ''}`,
      )
      .join('');
    this.files.set(
      `${folder}/product.yaml`,
      `apiVersion: akili/v1\nkind: DataProduct\nmetadata:\n  name: ${p.name}\n  domain: ${p.domain ?? 'retail'}\n  version: ${p.version ?? '1.2.0'}\n  owner: ${p.owner ?? 'sales'}\n  description: The ${p.name} product, for tests.\n  classification: ${p.classification ?? 'internal'}\n`,
    );
    this.files.set(
      `${folder}/inputs.yaml`,
      'apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - id: raw\n    type: connector\n    connector_ref: files\n    ingestion_strategy: full_refresh\n    ingestion_config: { path: x.csv }\n',
    );
    this.files.set(`${folder}/output.yaml`, `apiVersion: akili/v1\nkind: Output\nschema:\n${columns}`);
    this.files.set(`${folder}/serving.yaml`, 'apiVersion: akili/v1\nkind: Serving\nendpoints:\n  - type: analytics\n');
    this.files.set(`${folder}/quality.yaml`, 'apiVersion: akili/v1\nkind: Quality\nchecks: []\n');
    this.files.set(
      `${folder}/compute.yaml`,
      'apiVersion: akili/v1\nkind: Compute\nruntime: sql\nschedule:\n  type: manual\n',
    );
    this.files.set(
      `${folder}/logic/transform.sql`,
      `SELECT ${p.columns.map((c) => sqlIdent(c.name)).join(', ')} FROM raw`,
    );
    this.products.push({
      name: p.name,
      folder,
      domain: p.domain ?? 'retail',
      version: p.version ?? '1.2.0',
      owner: p.owner ?? 'sales',
      classification: (p.classification ?? 'internal') as ExistingProduct['classification'],
      columns: p.columns,
    });
    return this;
  }

  config(text: string, connections: ExistingConnection[], teams?: string[]): this {
    this.files.set('hekima.yaml', text);
    this.configText = text;
    this.connections = connections;
    this.teams = teams;
    return this;
  }

  products: ExistingProduct[] = [];
  configText: string | undefined;
  connections: ExistingConnection[] = [];
  teams: string[] | undefined;

  /** Upstream products read connection 'files': every test workspace with products declares it. */
  withFiles(): this {
    return this.config(FILES_CONFIG, [filesConnection]);
  }

  view(): WorkspaceView {
    return {
      products: this.products,
      configText: this.configText,
      teams: this.teams,
      connections: this.connections,
      exists: (p) => this.files.has(p),
    };
  }
}

const FILES_CONFIG =
  'apiVersion: akili/v1\nkind: Workspace\nconnections:\n  - name: files\n    type: file\n    config: { path: data/ }\n';
const filesConnection: ExistingConnection = { name: 'files', type: 'file', config: { path: 'data/' } };

/** A scaffold completed as `hekima init` completes it: the engine writes the expected output. */
async function scaffold(ws: Workspace, request: Partial<ScaffoldRequest> & { name: string }): Promise<ScaffoldResult> {
  const outcome = scaffoldProduct({ archetype: 'aggregate', folder: request.name, ...request }, ws.view());
  if (!outcome.ok) throw new Error(outcome.error);
  return withExpectedOutput({ engine }, outcome.result);
}

async function findingsAfter(
  ws: Workspace,
  result: ScaffoldResult,
): Promise<{ errors: Finding[]; warnings: Finding[] }> {
  const files = new Map(ws.files);
  for (const f of [...result.created, ...result.changed]) files.set(f.path, f.content);
  const platform = createPlatform({ sql, files: () => new MemoryWorkspaceFiles(files) });
  const r = await validateWorkspace(platform.validationDeps('.'), { tier: 'full', scope: '' });
  return { errors: [...r.errors], warnings: [...r.warnings] };
}

const describeFindings = (fs: readonly Finding[]) =>
  fs.map((f) => `${f.code} ${f.file}:${f.range.start.line} ${f.message}`);

function file(result: ScaffoldResult, path: string): string {
  const f = [...result.created, ...result.changed].find((x) => x.path === path);
  if (!f) throw new Error(`${path} not scaffolded; have ${result.created.map((x) => x.path).join(', ')}`);
  return f.content;
}

const ORDERS = {
  name: 'orders',
  columns: [
    pk('order_id', 'integer'),
    col('customer_id', 'integer', { role: 'event_key' }),
    col('amount', 'decimal(12,2)', { role: 'measure' }),
    col('ordered_at', 'timestamp'),
  ],
};
const CUSTOMERS = {
  name: 'customers',
  columns: [pk('customer_id', 'integer'), col('name', 'string'), col('country', 'string')],
};

describe('product name and archetype checks', () => {
  it('accepts valid names and explains the rule with a suggestion otherwise', () => {
    expect(checkProductName('outlet-sales')).toBeUndefined();
    expect(checkProductName('a1')).toBeUndefined();
    const message = checkProductName('Outlet_Sales');
    expect(message).toContain("'Outlet_Sales' is not a valid product name");
    expect(message).toContain('^[a-z0-9][a-z0-9-]*[a-z0-9]$');
    expect(message).toContain("Try 'outlet-sales'");
    expect(checkProductName('x')).toContain('2 to 63');
    expect(checkProductName('-orders')).toContain("Try 'orders'");
    expect(checkProductName('a'.repeat(70))).toContain('70 characters');
  });

  it('suggests names from camelCase, spaces and accents', () => {
    expect(suggestProductName('OutletSales')).toBe('outlet-sales');
    expect(suggestProductName('  Café Orders 2024 ')).toBe('cafe-orders-2024');
    expect(suggestProductName('__')).toBeUndefined();
  });

  it('lists the archetypes and the nearest one', () => {
    const message = checkArchetype('sorce');
    expect(message).toContain('source, aggregate, consumer');
    expect(message).toContain("Did you mean 'source'?");
    expect(checkArchetype('consumer')).toBe('consumer');
  });
});

describe('source products', () => {
  it('adds a file connection, a new hekima.yaml and a sample file to a workspace without one; valid at once', async () => {
    const ws = new Workspace();
    const result = await scaffold(ws, { name: 'pos-sales', archetype: 'source' });
    const paths = result.created.map((f) => f.path);
    expect(paths).toEqual([
      'pos-sales/product.yaml',
      'pos-sales/inputs.yaml',
      'pos-sales/output.yaml',
      'pos-sales/serving.yaml',
      'pos-sales/quality.yaml',
      'pos-sales/compute.yaml',
      'pos-sales/logic/transform.sql',
      'pos-sales/tests/fixtures/raw-pos-sales.csv',
      'pos-sales/tests/fixtures/expected_output.csv',
      'data/pos-sales.csv',
      'hekima.yaml',
    ]);
    const config = parse(file(result, 'hekima.yaml')) as {
      connections: { name: string; type: string; config: Record<string, string> }[];
    };
    expect(config.connections).toEqual([
      { name: 'local-files', type: 'file', config: { path: 'data/', format: 'csv' } },
    ]);
    const inputs = parse(file(result, 'pos-sales/inputs.yaml')) as { inputs: Record<string, unknown>[] };
    expect(inputs.inputs[0]).toMatchObject({
      id: 'raw-pos-sales',
      type: 'connector',
      connector_ref: 'local-files',
      ingestion_strategy: 'full_refresh',
      ingestion_config: { path: 'pos-sales.csv', format: 'csv' },
    });
    expect(parse(file(result, 'pos-sales/compute.yaml'))).toMatchObject({
      runtime: 'sql',
      schedule: { type: 'cron', expression: '0 6 * * *', timezone: 'UTC' },
    });
    expect(file(result, 'data/pos-sales.csv')).toBe(file(result, 'pos-sales/tests/fixtures/raw-pos-sales.csv'));
    expect(result.notes.some((n) => n.includes('hekima.yaml was created'))).toBe(true);
    const { errors, warnings } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
    expect(describeFindings(warnings)).toEqual([]);
  });

  it.each(CONNECTION_TYPES.map((t) => [t]))(
    'uses an existing %s connection with a strategy and settings it supports',
    async (type) => {
      const ws = new Workspace().config(
        `apiVersion: akili/v1\nkind: Workspace\nconnections:\n  - name: src\n    type: ${type}\n`,
        [{ name: 'src', type: type as ConnectionType, config: {} }],
      );
      const result = await scaffold(ws, { name: 'things', archetype: 'source' });
      expect(result.changed).toEqual([]);
      const input = (
        parse(file(result, 'things/inputs.yaml')) as {
          inputs: { connector_ref: string; ingestion_strategy: string; ingestion_config: Record<string, unknown> }[];
        }
      ).inputs[0]!;
      expect(input.connector_ref).toBe('src');
      expect(CONNECTORS[type as ConnectionType].strategies).toContain(input.ingestion_strategy);
      expect(
        missingIngestionSettings(type as ConnectionType, input.ingestion_strategy, input.ingestion_config),
      ).toEqual([]);
      // The scaffold names what the input reads: no default applies.
      expect(ingestionDefault(type as ConnectionType, input.connector_ref, input.ingestion_config)).toBeUndefined();
      const { errors } = await findingsAfter(ws, result);
      expect(describeFindings(errors)).toEqual([]);
    },
  );

  it('adds the connection to an existing hekima.yaml through the document model, keeping comments', async () => {
    const text =
      '# Our workspace\napiVersion: akili/v1\nkind: Workspace\ntenant: acme # the tenant slug\nteams:\n  - crm # customer team\n';
    const ws = new Workspace().config(text, [], ['crm']);
    const result = await scaffold(ws, { name: 'leads', archetype: 'source' });
    expect(result.changed.map((f) => f.path)).toEqual(['hekima.yaml']);
    const edited = file(result, 'hekima.yaml');
    expect(
      edited.startsWith(
        '# Our workspace\napiVersion: akili/v1\nkind: Workspace\ntenant: acme # the tenant slug\nteams:\n  - crm # customer team\n',
      ),
    ).toBe(true);
    expect(parse(edited)).toMatchObject({
      connections: [{ name: 'local-files', type: 'file', config: { path: 'data/', format: 'csv' } }],
    });
    expect(parse(file(result, 'leads/product.yaml'))).toMatchObject({ metadata: { owner: 'crm' } });
    const { errors } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
  });

  it('turns an empty flow list of connections into a block list', async () => {
    const ws = new Workspace().config('apiVersion: akili/v1\nkind: Workspace\nconnections: []   # none yet\n', []);
    const edited = file(await scaffold(ws, { name: 'leads', archetype: 'source' }), 'hekima.yaml');
    expect(edited).toContain('connections:');
    expect(edited).toContain('  - name: local-files');
    expect(parse(edited)).toMatchObject({ connections: [{ name: 'local-files' }] });
  });

  it('reuses a sample file that already exists instead of overwriting it', async () => {
    const ws = new Workspace().config(FILES_CONFIG, [filesConnection]);
    ws.files.set('data/leads.csv', 'id,name,updated_at\n');
    const result = await scaffold(ws, { name: 'leads', archetype: 'source' });
    expect(result.created.map((f) => f.path)).not.toContain('data/leads.csv');
    expect(result.notes.join('\n')).toContain('data/leads.csv already exists');
  });

  it('refuses an unknown --connection with the nearest name', () => {
    const ws = new Workspace().config(FILES_CONFIG, [filesConnection]);
    const outcome = scaffoldProduct(
      { name: 'leads', archetype: 'source', folder: 'leads', connection: 'file' },
      ws.view(),
    );
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringContaining("--connection 'file' is not a connection of hekima.yaml. Did you mean 'files'?"),
    });
  });

  it('refuses --input on a source and --connection on an aggregate', () => {
    const ws = new Workspace().withFiles().product(ORDERS);
    expect(
      scaffoldProduct({ name: 'x1', archetype: 'source', folder: 'x1', inputs: ['orders'] }, ws.view()),
    ).toMatchObject({ ok: false, error: expect.stringContaining('--input applies to aggregate and consumer') });
    expect(
      scaffoldProduct({ name: 'x1', archetype: 'aggregate', folder: 'x1', connection: 'files' }, ws.view()),
    ).toMatchObject({ ok: false, error: expect.stringContaining('--connection applies to source products') });
  });
});

describe('aggregate and consumer products', () => {
  it('joins a dimension with the aggregated facts of another input; fixtures and expected output agree', async () => {
    const ws = new Workspace().withFiles().product(ORDERS).product(CUSTOMERS);
    const result = await scaffold(ws, { name: 'customer-value', inputs: ['orders', 'customers'] });
    const sqlText = file(result, 'customer-value/logic/transform.sql');
    expect(sqlText).toContain('LEFT JOIN orders_by_customer_id AS o ON o.customer_id = c.customer_id');
    const analysis = sql.analyze(sqlText, () => undefined);
    const output = parse(file(result, 'customer-value/output.yaml')) as {
      schema: { name: string; type: string; primary_key?: boolean }[];
    };
    expect(analysis.outputColumns.map((c) => c.name)).toEqual(output.schema.map((c) => c.name));
    expect(output.schema).toEqual([
      expect.objectContaining({ name: 'customer_id', type: 'integer', primary_key: true, role: 'identity' }),
      expect.objectContaining({ name: 'name', type: 'string' }),
      expect.objectContaining({ name: 'country', type: 'string' }),
      expect.objectContaining({ name: 'orders_count', type: 'integer', role: 'measure', nullable: false }),
      expect.objectContaining({ name: 'orders_total_amount', type: 'decimal(38,2)', role: 'measure', nullable: false }),
    ]);
    // Computed by hand from the fixtures: customer 1 has orders of 10.50 and 20.50, customer 2 one of 30.50,
    // customer 3 of 40.50 and 50.50.
    expect(file(result, 'customer-value/tests/fixtures/orders.csv')).toBe(
      'order_id,customer_id,amount,ordered_at\n1,1,10.50,2026-01-01T08:30:00Z\n2,1,20.50,2026-01-02T08:30:00Z\n3,2,30.50,2026-01-03T08:30:00Z\n4,3,40.50,2026-01-04T08:30:00Z\n5,3,50.50,2026-01-05T08:30:00Z\n',
    );
    expect(file(result, 'customer-value/tests/fixtures/customers.csv')).toBe(
      'customer_id,name,country\n1,name-1,country-1\n2,name-2,country-2\n3,name-3,country-3\n',
    );
    expect(file(result, 'customer-value/tests/fixtures/expected_output.csv')).toBe(
      'customer_id,name,country,orders_count,orders_total_amount\n1,name-1,country-1,2,31.00\n2,name-2,country-2,1,30.50\n3,name-3,country-3,2,91.00\n',
    );
    expect(parse(file(result, 'customer-value/inputs.yaml'))).toMatchObject({
      inputs: [
        { id: 'orders', type: 'data_product', version: '^1.2.0' },
        { id: 'customers', type: 'data_product', version: '^1.2.0' },
      ],
    });
    expect(parse(file(result, 'customer-value/compute.yaml'))).toMatchObject({ schedule: { type: 'event' } });
    expect(parse(file(result, 'customer-value/serving.yaml'))).toMatchObject({
      endpoints: [{ type: 'lookup', config: { index_columns: ['customer_id'] } }, { type: 'analytics' }],
    });
    const { errors, warnings } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
    expect(describeFindings(warnings)).toEqual([]);
  });

  it('groups a single input by its event key and sums its measures', async () => {
    const ws = new Workspace().withFiles().product(ORDERS);
    const result = await scaffold(ws, { name: 'orders-by-customer', inputs: ['orders'] });
    expect(file(result, 'orders-by-customer/logic/transform.sql')).toContain('GROUP BY customer_id');
    expect(file(result, 'orders-by-customer/tests/fixtures/expected_output.csv')).toBe(
      'customer_id,orders_count,total_amount\n1,2,31.00\n2,1,30.50\n3,2,91.00\n',
    );
    const quality = parse(file(result, 'orders-by-customer/quality.yaml')) as {
      checks: { type: string; config: Record<string, unknown> }[];
    };
    expect(quality.checks.map((c) => c.type)).toEqual(['completeness', 'uniqueness', 'volume', 'range']);
    expect(quality.checks[1]?.config).toEqual({ columns: ['customer_id'] });
    const { errors, warnings } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
    expect(describeFindings(warnings)).toEqual([]);
  });

  it('handles composite keys, hyphenated ids, reserved words and the classification high-water mark', async () => {
    const ws = new Workspace()
      .withFiles()
      .product({
        name: 'daily-sales',
        classification: 'confidential',
        columns: [
          pk('outlet_id', 'string'),
          pk('sale_date', 'date'),
          col('order', 'integer'),
          col('revenue', 'decimal(14,2)', { role: 'measure' }),
          col('units', 'float', { role: 'measure' }),
        ],
      })
      .product({
        name: 'outlets',
        columns: [pk('outlet_id', 'string'), col('outlet_name', 'string'), col('region', 'string')],
      });
    const result = await scaffold(ws, {
      name: 'outlet-feed',
      archetype: 'consumer',
      inputs: ['daily-sales', 'outlets'],
    });
    const sqlText = file(result, 'outlet-feed/logic/transform.sql');
    expect(sqlText).toContain('FROM outlets AS o');
    expect(sqlText).toContain('FROM "daily-sales"');
    expect(file(result, 'outlet-feed/tests/fixtures/daily-sales.csv')).toContain(
      'outlet_id,sale_date,order,revenue,units\noutlet-1,2026-01-01,',
    );
    expect(file(result, 'outlet-feed/tests/fixtures/expected_output.csv')).toBe(
      'outlet_id,outlet_name,region,daily_sales_count,daily_sales_total_revenue,daily_sales_total_units\n' +
        'outlet-1,outlet-name-1,region-1,2,31.00,3.5\n' +
        'outlet-2,outlet-name-2,region-2,1,30.50,3.25\n' +
        'outlet-3,outlet-name-3,region-3,2,91.00,9.5\n',
    );
    expect(parse(file(result, 'outlet-feed/product.yaml'))).toMatchObject({
      metadata: { classification: 'confidential', tags: ['consumer'] },
    });
    expect(parse(file(result, 'outlet-feed/serving.yaml'))).toMatchObject({
      endpoints: [
        { type: 'lookup' },
        { type: 'realtime', config: { key_template: 'outlet-feed:{outlet_id}', ttl: '24h' } },
      ],
    });
    const { errors, warnings } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
    expect(describeFindings(warnings)).toEqual([]);
  });

  it('projects a single input for a consumer and enriches one-to-one inputs', async () => {
    const ws = new Workspace().withFiles().product(ORDERS).product(CUSTOMERS);
    const single = await scaffold(ws, { name: 'order-feed', archetype: 'consumer', inputs: ['orders'] });
    // The projection returns its input's rows, as the engine prints their types.
    expect(file(single, 'order-feed/tests/fixtures/expected_output.csv')).toBe(
      file(single, 'order-feed/tests/fixtures/orders.csv').replace(/T(\d\d:\d\d:\d\d)Z/g, ' $1'),
    );
    const both = await scaffold(ws, { name: 'order-lookup', archetype: 'consumer', inputs: ['customers', 'orders'] });
    expect(file(both, 'order-lookup/logic/transform.sql')).toContain('LEFT JOIN orders_by_customer_id');
    for (const r of [single, both]) {
      const { errors } = await findingsAfter(ws, r);
      expect(describeFindings(errors)).toEqual([]);
    }
  });

  it('counts the rows of an input that shares no key, and says so', async () => {
    const ws = new Workspace()
      .withFiles()
      .product(ORDERS)
      .product({ name: 'weather', columns: [pk('station', 'string'), col('temp', 'float', { role: 'measure' })] });
    const result = await scaffold(ws, { name: 'orders-weather', inputs: ['orders', 'weather'] });
    expect(file(result, 'orders-weather/logic/transform.sql')).toContain('CROSS JOIN weather_totals AS w');
    expect(result.notes.join('\n')).toContain("'weather' shares no key column with 'orders'");
    expect(file(result, 'orders-weather/tests/fixtures/expected_output.csv').split('\n')[1]).toBe(
      '1,3,10.50,2026-01-01 08:30:00,5',
    );
    const { errors } = await findingsAfter(ws, result);
    expect(describeFindings(errors)).toEqual([]);
  });

  it.each([['aggregate'], ['consumer']])(
    'scaffolds a self-contained %s without inputs: zero errors',
    async (archetype) => {
      const ws = new Workspace();
      const result = await scaffold(ws, { name: 'standalone', archetype });
      expect(parse(file(result, 'standalone/inputs.yaml'))).toMatchObject({ inputs: [] });
      expect(file(result, 'standalone/inputs.yaml')).toContain('# inputs:');
      expect(file(result, 'standalone/logic/transform.sql')).toContain(
        'To read another product of the workspace instead',
      );
      expect(result.created.filter((f) => f.path.startsWith('standalone/tests/fixtures/')).map((f) => f.path)).toEqual([
        'standalone/tests/fixtures/expected_output.csv',
      ]);
      const { errors, warnings } = await findingsAfter(ws, result);
      expect(describeFindings(errors)).toEqual([]);
      expect(warnings.every((w) => w.code === 'INP-005')).toBe(true);
    },
  );

  it('refuses unknown inputs with the nearest product name, and a name already taken', () => {
    const ws = new Workspace().withFiles().product(ORDERS).product(CUSTOMERS);
    const outcome = scaffoldProduct({ name: 'x1', archetype: 'aggregate', folder: 'x1', inputs: ['ordrs'] }, ws.view());
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringContaining("--input 'ordrs' is not a product of the workspace"),
    });
    expect(outcome.ok ? '' : outcome.error).toContain("Did you mean 'orders'?");
    expect(outcome.ok ? '' : outcome.error).toContain('Products of the workspace: customers, orders.');
    expect(scaffoldProduct({ name: 'orders', archetype: 'aggregate', folder: 'orders2' }, ws.view())).toMatchObject({
      ok: false,
      error: expect.stringContaining("a product named 'orders' already exists in orders/"),
    });
  });

  it('checks --owner against the teams of hekima.yaml and --domain against its pattern', () => {
    const ws = new Workspace().config(
      'apiVersion: akili/v1\nkind: Workspace\nteams: [sales, crm]\n',
      [],
      ['sales', 'crm'],
    );
    expect(
      scaffoldProduct({ name: 'x1', archetype: 'aggregate', folder: 'x1', owner: 'sale' }, ws.view()),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /--owner 'sale' is not a team of hekima.yaml \(teams: crm, sales\)\. Did you mean 'sales'\?/,
      ),
    });
    expect(
      scaffoldProduct({ name: 'x1', archetype: 'aggregate', folder: 'x1', domain: 'Retail Sales' }, ws.view()),
    ).toMatchObject({ ok: false, error: expect.stringContaining("Try 'retail-sales'") });
  });
});
