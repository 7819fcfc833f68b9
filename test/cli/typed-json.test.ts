import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesWorkspaceYaml } from '../run/event-workspace.js';
import { hekima, json } from '../run/e2e-support.js';

/**
 * One JSON rule for every `--json` output (docs/dev/json-output.md), through the built CLI:
 * integers as numbers when |n| ≤ 2^53 − 1 (else strings), decimals as strings, floats as numbers,
 * dates and timestamps as ISO 8601 strings, booleans as booleans, NULL as null.
 */
describe('typed JSON (built CLI)', () => {
  let dir: string;
  const files: Record<string, string> = {
    'hekima.yaml': filesWorkspaceYaml('typed-json'),
    'data/a.csv': 'id\n1\n2\n',
    'typed/product.yaml': `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: typed
  domain: test
  version: 1.0.0
  owner: data-team
  description: One column of every type.
  classification: internal
`,
    'typed/inputs.yaml': `apiVersion: akili/v1
kind: Inputs
inputs:
  - id: raw-a
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config: { path: a.csv, format: csv }
defaults:
  timeout: 4h
  fallback: fail
`,
    'typed/output.yaml': `apiVersion: akili/v1
kind: Output
schema:
  - name: id
    type: integer
    primary_key: true
    role: identity
  - name: big
    type: integer
  - name: amount
    type: decimal(12,2)
  - name: ratio
    type: float
  - name: day
    type: date
  - name: seen_at
    type: timestamp
  - name: flag
    type: boolean
  - name: note
    type: string
`,
    'typed/compute.yaml': `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: manual
`,
    'typed/serving.yaml': `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: analytics
`,
    'typed/quality.yaml': `apiVersion: akili/v1
kind: Quality
checks:
  - name: rows
    type: volume
    config: { min_rows: 1, max_rows: 10 }
`,
    'typed/logic/transform.sql': `SELECT CAST(id AS BIGINT) AS id,
  CASE WHEN id = 1 THEN 9007199254740993 ELSE 42 END AS big,
  CAST(10.5 AS DECIMAL(12, 2)) AS amount,
  0.25 AS ratio,
  DATE '2026-01-05' AS day,
  TIMESTAMP '2026-01-05 10:30:00' AS seen_at,
  id = 1 AS flag,
  CASE WHEN id = 1 THEN NULL ELSE 'x' END AS note
FROM raw_a
`,
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-typed-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const run = await hekima(['run', dir, '--json'], dir, {});
    expect(run.code, run.stderr + run.stdout).toBe(0);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hekima query --json types each column by its output.yaml type', async () => {
    const out = json<{ rows: Record<string, unknown>[] }>(await hekima(['query', 'typed', '--json'], dir, {}));
    expect(out.rows).toEqual([
      {
        id: 1,
        big: '9007199254740993',
        amount: '10.50',
        ratio: 0.25,
        day: '2026-01-05',
        seen_at: '2026-01-05T10:30:00',
        flag: true,
        note: null,
      },
      {
        id: 2,
        big: 42,
        amount: '10.50',
        ratio: 0.25,
        day: '2026-01-05',
        seen_at: '2026-01-05T10:30:00',
        flag: false,
        note: 'x',
      },
    ]);
  });

  it('hekima query --sql --json types computed columns by the result’s own types', async () => {
    const out = json<{ rows: Record<string, unknown>[] }>(
      await hekima(
        [
          'query',
          'typed',
          '--sql',
          'SELECT count(*) AS n, sum(amount) AS total, avg(ratio) AS mean, max(seen_at) AS last FROM typed',
          '--json',
        ],
        dir,
        {},
      ),
    );
    expect(out.rows).toEqual([{ n: 2, total: '21.00', mean: 0.25, last: '2026-01-05T10:30:00' }]);
  });

  it('hekima run --json and hekima executions --json write counts as numbers', async () => {
    const executions = json<{ items: { attempt: unknown }[] }>(
      await hekima(['executions', '--json', '--workspace', dir], dir, {}),
    );
    expect(typeof executions.items[0]?.attempt).toBe('number');
  });
});
