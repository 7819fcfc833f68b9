import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { filesWorkspaceYaml } from './event-workspace.js';

/**
 * The workspace of the worker retry tests. `src` (manual) reads data/a.csv; its DataAvailable
 * triggers four event-scheduled consumers, each with its own compute.yaml `retry`:
 * - `flaky` (2 attempts, fixed 4s) also reads data/extra.csv in place: the test changes that file
 *   while the first attempt runs, so its commit fails Transient `source_changed`;
 * - `after` reads `flaky` (one execution once flaky commits);
 * - `hopeless` (2 attempts, fixed 1s) reads data/churn.csv, which changes during every attempt;
 * - `broken` (3 attempts) fails in its SQL: not retryable;
 * - `late` (2 attempts, fixed 2s; only when asked for) reads data/late.csv, absent at first;
 * - `steady` (2 attempts, fixed 1s; only when asked for) reads src and never fails by itself.
 */
export async function retryWorkspace(tenant: string, consumers: readonly Consumer[] = MAIN): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-retry-'));
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml(tenant),
    'data/a.csv': 'id,v\n1,10\n2,20\n3,30\n',
    'data/extra.csv': 'id,w\n1,100\n2,200\n3,300\n',
    'data/churn.csv': 'id,c\n1,1\n',
    ...product({
      name: 'src',
      inputs: [connector('raw-a', 'a.csv')],
      sql: 'SELECT CAST(id AS INTEGER) AS id, CAST(v AS INTEGER) AS v FROM raw_a',
      schedule: 'manual',
      columns: ['id', 'v'],
    }),
  };
  for (const name of consumers) Object.assign(files, product(CONSUMERS[name]));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const CONSUMERS = {
  flaky: {
    name: 'flaky',
    inputs: [upstream('src'), connector('extra', 'extra.csv')],
    sql: 'SELECT CAST(e.id AS INTEGER) AS id, CAST(e.w AS INTEGER) AS w, s.v FROM extra e LEFT JOIN src s ON s.id = CAST(e.id AS INTEGER)',
    schedule: 'event',
    columns: ['id', 'w', 'v'],
    retry: { attempts: 2, delay: '4s' },
  },
  after: {
    name: 'after',
    inputs: [upstream('flaky')],
    sql: 'SELECT id, w FROM flaky',
    schedule: 'event',
    columns: ['id', 'w'],
  },
  hopeless: {
    name: 'hopeless',
    inputs: [upstream('src'), connector('churn', 'churn.csv')],
    sql: 'SELECT s.id, CAST(count(c.id) AS INTEGER) AS n FROM src s LEFT JOIN churn c ON CAST(c.id AS INTEGER) = s.id GROUP BY s.id',
    schedule: 'event',
    columns: ['id', 'n'],
    retry: { attempts: 2, delay: '1s' },
  },
  broken: {
    name: 'broken',
    inputs: [upstream('src')],
    sql: "SELECT id, CAST(CAST(v AS VARCHAR) || 'x' AS INTEGER) AS v FROM src",
    schedule: 'event',
    columns: ['id', 'v'],
    retry: { attempts: 3, delay: '1s' },
  },
  late: {
    name: 'late',
    inputs: [upstream('src'), connector('late-file', 'late.csv')],
    sql: 'SELECT CAST(l.id AS INTEGER) AS id, s.v FROM late_file l JOIN src s ON s.id = CAST(l.id AS INTEGER)',
    schedule: 'event',
    columns: ['id', 'v'],
    retry: { attempts: 2, delay: '2s' },
  },
  steady: {
    name: 'steady',
    inputs: [upstream('src')],
    sql: 'SELECT id, v * 10 AS v FROM src',
    schedule: 'event',
    columns: ['id', 'v'],
    retry: { attempts: 2, delay: '1s' },
  },
} satisfies Record<string, ProductSpec>;

export type Consumer = keyof typeof CONSUMERS;
const MAIN: readonly Consumer[] = ['flaky', 'after', 'hopeless', 'broken'];

function connector(id: string, path: string): string {
  return `  - id: ${id}
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: ${path}
      format: csv
`;
}

function upstream(id: string): string {
  return `  - id: ${id}
    type: data_product
    version: ">=1.0.0"
`;
}

interface ProductSpec {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly sql: string;
  readonly schedule: string;
  /** Integer columns, the first one the primary key. */
  readonly columns: readonly string[];
  readonly retry?: { readonly attempts: number; readonly delay: string };
}

function product(p: ProductSpec): Record<string, string> {
  const retry = p.retry
    ? `retry:\n  max_attempts: ${p.retry.attempts}\n  backoff: fixed\n  initial_delay: ${p.retry.delay}\n`
    : 'retry:\n  max_attempts: 1\n';
  return {
    [`${p.name}/product.yaml`]: `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: ${p.name}
  domain: test
  version: 1.0.0
  owner: data-team
  description: Product ${p.name} of the worker retry test workspace.
  classification: internal
`,
    [`${p.name}/inputs.yaml`]: `apiVersion: akili/v1
kind: Inputs
inputs:
${p.inputs.join('')}defaults:
  timeout: 4h
  fallback: fail
`,
    [`${p.name}/output.yaml`]: `apiVersion: akili/v1
kind: Output
schema:
${p.columns.map((c, i) => `  - name: ${c}\n    type: integer\n${i === 0 ? '    primary_key: true\n    role: identity\n' : ''}`).join('')}`,
    [`${p.name}/compute.yaml`]: `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: ${p.schedule}
${retry}`,
    [`${p.name}/serving.yaml`]: `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    [`${p.name}/quality.yaml`]: `apiVersion: akili/v1
kind: Quality
checks:
  - name: ${p.name}_rows
    type: volume
    config: { min_rows: 1, max_rows: 1000 }
`,
    [`${p.name}/logic/transform.sql`]: `${p.sql}\n`,
  };
}
