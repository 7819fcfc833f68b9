import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { filesWorkspaceYaml } from './event-workspace.js';

export interface PythonWorkspaceOptions {
  /** compute.yaml `resources.timeout` (default 10m). */
  readonly timeout?: string;
  /** Adds `py-next` (event-scheduled: it runs when py-sums commits; reads py-sums) with this Python logic. */
  readonly consumer?: string;
}

/**
 * A workspace whose product `py-sums` runs Python logic (`logic/transform.py`, given) over
 * data/a.csv (id, v), under compute.yaml `timeout` (default 10m); optionally a consumer `py-next`.
 */
export async function pythonWorkspace(logic: string, options: PythonWorkspaceOptions = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-pyws-'));
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml('pyws'),
    'data/a.csv': 'id,v\n1,10\n2,20\n3,30\n',
    ...product('py-sums', CONNECTOR_INPUT, 'manual', logic, options.timeout),
    ...(options.consumer === undefined
      ? {}
      : product('py-next', UPSTREAM_INPUT, 'event', options.consumer, options.timeout)),
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Python logic returning the input's rows with integer columns (the records contract, ADR 0023). */
export const SUMS_LOGIC = `def transform(inputs):
    return [{"id": int(r["id"]), "v": int(r["v"])} for r in inputs["raw-a"]]
`;

/** py-next's logic: py-sums' rows as they are. */
export const NEXT_LOGIC = `def transform(inputs):
    return [{"id": r["id"], "v": r["v"]} for r in inputs["py-sums"]]
`;

const CONNECTOR_INPUT = `  - id: raw-a
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: a.csv
      format: csv
`;

const UPSTREAM_INPUT = `  - id: py-sums
    type: data_product
    version: ">=1.0.0"
`;

function product(
  name: string,
  inputs: string,
  schedule: string,
  logic: string,
  timeout = '10m',
): Record<string, string> {
  return {
    [`${name}/product.yaml`]: `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: ${name}
  domain: test
  version: 1.0.0
  owner: data-team
  description: Rows computed by Python logic.
  classification: internal
`,
    [`${name}/inputs.yaml`]: `apiVersion: akili/v1
kind: Inputs
inputs:
${inputs}defaults:
  timeout: 4h
  fallback: fail
`,
    [`${name}/output.yaml`]: `apiVersion: akili/v1
kind: Output
schema:
  - name: id
    type: integer
    primary_key: true
    role: identity
  - name: v
    type: integer
`,
    [`${name}/compute.yaml`]: `apiVersion: akili/v1
kind: Compute
runtime: python
entrypoint: logic/transform.py
schedule:
  type: ${schedule}
resources:
  timeout: ${timeout}
retry:
  max_attempts: 1
`,
    [`${name}/serving.yaml`]: `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    [`${name}/quality.yaml`]: `apiVersion: akili/v1
kind: Quality
checks:
  - name: ${name.replace(/-/g, '_')}_rows
    type: volume
    config: { min_rows: 1, max_rows: 1000 }
`,
    [`${name}/logic/transform.py`]: logic,
  };
}
