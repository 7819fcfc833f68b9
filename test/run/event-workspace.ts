import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** hekima.yaml of a test workspace: `tenant`, team `data-team`, a `files` connection over data/ (CSV). */
export function filesWorkspaceYaml(tenant: string): string {
  return `apiVersion: akili/v1
kind: Workspace
tenant: ${tenant}
teams:
  - data-team
connections:
  - name: files
    type: file
    config: { path: data/, format: csv }
`;
}

/**
 * A diamond workspace for the event-driven run tests: `alpha` reads data/a.csv (a file connector,
 * full refresh); `beta` and `gamma` read `alpha`; `delta` reads `beta` and `gamma` (all three
 * event-scheduled). `gamma` has a blocking volume check whose minimum `setMinRows` can raise
 * above its row count.
 */
export async function diamondWorkspace(
  options: {
    readonly tenant?: string;
    readonly cTimeout?: string;
    readonly cSql?: string;
    /** Adds `slow-lane` (reads alpha, event): a query of minutes, under this compute.yaml timeout. */
    readonly slow?: string;
    /** delta reads beta `same_day` (day windows) instead of `latest` (rounds). */
    readonly dayDelta?: boolean;
  } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-diamond-'));
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml(options.tenant ?? 'diamond'),
    'data/a.csv': 'id,v\n1,10\n2,20\n3,30\n',
    ...product(
      'alpha',
      [connector()],
      'SELECT CAST(id AS INTEGER) AS id, CAST(v AS INTEGER) AS v FROM raw_a',
      'manual',
      [
        ['id', 'integer'],
        ['v', 'integer'],
      ],
    ),
    ...product('beta', [upstream('alpha')], 'SELECT id, v * 2 AS v2 FROM alpha', 'event', [
      ['id', 'integer'],
      ['v2', 'integer'],
    ]),
    ...product(
      'gamma',
      [upstream('alpha')],
      options.cSql ?? 'SELECT id, v + 1 AS v1 FROM alpha',
      'event',
      [
        ['id', 'integer'],
        ['v1', 'integer'],
      ],
      options.cTimeout,
    ),
    ...product(
      'delta',
      [upstream('beta', options.dayDelta ? 'same_day' : undefined), upstream('gamma')],
      'SELECT id, beta.v2, gamma.v1 FROM beta JOIN gamma USING (id)',
      'event',
      [
        ['id', 'integer'],
        ['v2', 'integer'],
        ['v1', 'integer'],
      ],
    ),
  };
  if (options.slow)
    Object.assign(
      files,
      product(
        'slow-lane',
        [upstream('alpha')],
        'SELECT alpha.id, count(*) AS n FROM alpha, range(4000000000) r GROUP BY alpha.id',
        'event',
        [
          ['id', 'integer'],
          ['n', 'integer'],
        ],
        options.slow,
      ),
    );
  files['gamma/quality.yaml'] = qualityWithMin(1);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Sets the blocking `enough_rows` check of `gamma` (3 rows: a minimum above 3 fails it). */
export async function setMinRows(dir: string, min: number): Promise<void> {
  await writeFile(join(dir, 'gamma/quality.yaml'), qualityWithMin(min));
}

function qualityWithMin(min: number): string {
  return `apiVersion: akili/v1
kind: Quality
checks:
  - name: enough_rows
    type: volume
    config: { min_rows: ${min}, max_rows: 1000 }
    severity: error
`;
}

function connector(): string {
  return `  - id: raw-a
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: a.csv
      format: csv
`;
}

function upstream(id: string, mapping?: string): string {
  return `  - id: ${id}
    type: data_product
    version: ">=1.0.0"
${mapping ? `    partition_mapping: ${mapping}\n` : ''}`;
}

function product(
  name: string,
  inputs: readonly string[],
  sql: string,
  schedule: string,
  columns: readonly (readonly [string, string])[],
  timeout?: string,
): Record<string, string> {
  return {
    [`${name}/product.yaml`]: `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: ${name}
  domain: test
  version: 1.0.0
  owner: data-team
  description: Product ${name} of the diamond test workspace.
  classification: internal
`,
    [`${name}/inputs.yaml`]: `apiVersion: akili/v1
kind: Inputs
inputs:
${inputs.join('')}defaults:
  timeout: 4h
  fallback: fail
`,
    [`${name}/output.yaml`]: `apiVersion: akili/v1
kind: Output
schema:
${columns.map(([c, t], i) => `  - name: ${c}\n    type: ${t}\n${i === 0 ? '    primary_key: true\n    role: identity\n' : ''}`).join('')}`,
    [`${name}/compute.yaml`]: `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: ${schedule}
retry:
  max_attempts: 1
${timeout ? `resources:\n  timeout: ${timeout}\n` : ''}`,
    [`${name}/serving.yaml`]: `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    [`${name}/quality.yaml`]: `apiVersion: akili/v1
kind: Quality
checks:
  - name: ${name}_rows
    type: volume
    config: { min_rows: 1, max_rows: 1000 }
`,
    [`${name}/logic/transform.sql`]: `${sql}\n`,
  };
}
