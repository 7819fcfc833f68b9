// Writes a synthetic workspace of N products: six realistic manifests and a SQL file each,
// wired as a DAG with fan-in (aggregates join 1–3 upstreams) and fan-out (popular upstreams).
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const COLUMN_SETS = [
  ['amount', 'decimal(18,2)', 'measure'],
  ['quantity', 'integer', 'measure'],
  ['unit_price', 'decimal(12,4)', 'measure'],
  ['status', 'string', 'attribute'],
  ['channel', 'string', 'attribute'],
  ['created_at', 'timestamp', 'attribute'],
  ['event_date', 'date', 'attribute'],
  ['score', 'float', 'measure'],
];

export function productName(i) {
  return `product-${String(i).padStart(5, '0')}`;
}

function manifests(i, upstream, random) {
  const name = productName(i);
  const source = upstream.length === 0;
  const extra = COLUMN_SETS.filter(() => random() < 0.6);
  const columns = [['id', 'integer', 'identity'], ...extra];
  const product = `apiVersion: akili/v1
kind: DataProduct
metadata:
  name: ${name}
  domain: domain-${i % 17}
  version: 1.${i % 7}.0
  owner: team-${i % 5}
  description: Synthetic product number ${i} for the validation benchmark.
  tags: [synthetic, bench]
  classification: ${source ? 'internal' : 'internal'}
  contacts:
    - name: Bench Owner
      email: owner${i % 5}@example.com
versioning:
  deprecation_window: 90d
retention:
  period: 365d
  basis: event_time
`;
  const inputs = source
    ? `apiVersion: akili/v1
kind: Inputs
inputs:
  - id: raw-${i}
    type: connector
    connector_ref: files
    ingestion_strategy: full_refresh
    ingestion_config:
      path: raw-${i}.csv
      format: csv
    timeout: 2h
    fallback: fail
defaults:
  timeout: 4h
  fallback: fail
`
    : `apiVersion: akili/v1
kind: Inputs
inputs:
${upstream
  .map(
    (u) => `  - id: ${productName(u)}
    type: data_product
    version: ">=1.0.0"
    timeout: 6h
    fallback: use_cached
`,
  )
  .join('')}defaults:
  timeout: 4h
  fallback: fail
`;
  const output = `apiVersion: akili/v1
kind: Output
schema:
${columns
  .map(
    ([c, t, r], k) => `  - name: ${c}
    type: ${t.includes('(') ? `"${t}"` : t}
${k === 0 ? '    primary_key: true\n' : ''}    role: ${r}
    description: Column ${c} of ${name}.
`,
  )
  .join('')}format: parquet
`;
  const serving = `apiVersion: akili/v1
kind: Serving
endpoints:
  - type: lookup
    config:
      index_columns: [id]
  - type: analytics
    description: Lake queries.
`;
  const quality = `apiVersion: akili/v1
kind: Quality
checks:
  - name: id_unique
    type: uniqueness
    config: { columns: [id] }
  - name: id_complete
    type: completeness
    config: { column: id, threshold: 1.0 }
  - name: enough_rows
    type: volume
    config: { min_rows: 1 }
    severity: warn
`;
  const compute = `apiVersion: akili/v1
kind: Compute
runtime: sql
entrypoint: logic/transform.sql
schedule:
  type: ${source ? 'cron' : 'event'}
${source ? '  expression: "0 6 * * *"\n  timezone: UTC\n' : ''}resources:
  cpu: 500m
  memory: 1Gi
  timeout: 30m
retry:
  max_attempts: 3
  backoff: exponential
  initial_delay: 30s
`;
  const names = columns.map(([c]) => c);
  let sql;
  if (source) {
    sql = `SELECT\n${names.map((c) => `  ${c}`).join(',\n')}\nFROM raw_${i}\n`;
  } else {
    const [first, ...rest] = upstream;
    const t0 = productName(first).replace(/-/g, '_');
    sql =
      `WITH base AS (\n  SELECT u0.id FROM ${t0} AS u0\n` +
      rest
        .map((u, k) => `  JOIN ${productName(u).replace(/-/g, '_')} AS u${k + 1} ON u${k + 1}.id = u0.id\n`)
        .join('') +
      `)\nSELECT\n  base.id${names
        .slice(1)
        .map((c) => `,\n  CAST(NULL AS VARCHAR) AS ${c}`)
        .join('')}\nFROM base\n`;
  }
  return { product, inputs, output, serving, quality, compute, sql };
}

/** Writes the workspace and returns its path. */
export async function writeSyntheticWorkspace(dir, count, seed = 42) {
  await rm(dir, { recursive: true, force: true });
  const random = rng(seed);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'hekima.yaml'),
    'tenant: bench\nteams: [team-0, team-1, team-2, team-3, team-4]\nconnections:\n  - name: files\n    type: file\n    config: { path: data/, format: csv }\n',
  );
  const sources = Math.max(1, Math.round(count * 0.2));
  const writes = [];
  for (let i = 0; i < count; i++) {
    const upstream = [];
    if (i >= sources) {
      const fanIn = 1 + Math.floor(random() * 3);
      for (let k = 0; k < fanIn; k++) {
        // Skewed towards low ids: a few popular products have a large fan-out.
        const u = Math.floor(random() ** 2 * i);
        if (!upstream.includes(u)) upstream.push(u);
      }
    }
    const m = manifests(i, upstream, random);
    const folder = join(dir, `domain-${i % 17}`, productName(i));
    writes.push(
      (async () => {
        await mkdir(join(folder, 'logic'), { recursive: true });
        await Promise.all([
          writeFile(join(folder, 'product.yaml'), m.product),
          writeFile(join(folder, 'inputs.yaml'), m.inputs),
          writeFile(join(folder, 'output.yaml'), m.output),
          writeFile(join(folder, 'serving.yaml'), m.serving),
          writeFile(join(folder, 'quality.yaml'), m.quality),
          writeFile(join(folder, 'compute.yaml'), m.compute),
          writeFile(join(folder, 'logic', 'transform.sql'), m.sql),
        ]);
      })(),
    );
    if (writes.length >= 64) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return dir;
}
