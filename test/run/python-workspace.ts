import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { filesWorkspaceYaml } from './event-workspace.js';

/**
 * A workspace of one product, `py-sums`, whose logic is Python (`logic/transform.py`, given) over
 * data/a.csv (id, v), under compute.yaml `timeout` (default 10m).
 */
export async function pythonWorkspace(logic: string, options: { timeout?: string } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-pyws-'));
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml('pyws'),
    'data/a.csv': 'id,v\n1,10\n2,20\n3,30\n',
    'py-sums/product.yaml': `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: py-sums
  domain: test
  version: 1.0.0
  owner: data-team
  description: Sums computed by Python logic.
  classification: internal
`,
    'py-sums/inputs.yaml': `apiVersion: akili/v1
kind: Inputs
inputs:
  - id: raw-a
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: a.csv
      format: csv
defaults:
  timeout: 4h
  fallback: fail
`,
    'py-sums/output.yaml': `apiVersion: akili/v1
kind: Output
schema:
  - name: id
    type: integer
    primary_key: true
    role: identity
  - name: v
    type: integer
`,
    'py-sums/compute.yaml': `apiVersion: akili/v1
kind: Compute
runtime: python
entrypoint: logic/transform.py
schedule:
  type: manual
resources:
  timeout: ${options.timeout ?? '10m'}
retry:
  max_attempts: 1
`,
    'py-sums/serving.yaml': `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    'py-sums/quality.yaml': `apiVersion: akili/v1
kind: Quality
checks:
  - name: py_sums_rows
    type: volume
    config: { min_rows: 1, max_rows: 1000 }
`,
    'py-sums/logic/transform.py': logic,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Python logic returning the input's rows with integer columns (the records contract). */
export const SUMS_LOGIC = `def transform(inputs):
    return [{"id": int(r["id"]), "v": int(r["v"])} for r in inputs["raw-a"]]
`;
