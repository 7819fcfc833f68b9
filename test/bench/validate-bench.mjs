#!/usr/bin/env node
// npm run bench:validate — cold full validation, incremental re-validation and peak RSS on
// synthetic workspaces of 100, 1,000 and 5,000 products, against the floor measured in the
// same run: a cold process that reads every file, parses every manifest with the `yaml` library
// (one thread) and every SQL file with the parser the validator uses (DuckDB, one batch).
// `--quick` (CI): the 1,000-product workspace only, one run, 100 edits.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticWorkspace, productName } from './synthetic-workspace.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const benchDir = join(root, '.bench');
const quick = process.argv.includes('--quick');
const sizes = (process.env.HEKIMA_BENCH_SIZES ?? (quick ? '1000' : '100,1000,5000')).split(',').map(Number);
const runs = Number(process.env.HEKIMA_BENCH_RUNS ?? (quick ? 1 : 3));
const edits = Number(process.env.HEKIMA_BENCH_EDITS ?? (quick ? 100 : 200));

function child(mode, dir) {
  const out = execFileSync(process.execPath, [join(here, 'validate-child.mjs'), mode, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function incremental(dir, count) {
  const { createPlatform, ValidationSession } = await import('../../platform-core/dist/index.js');
  const platform = createPlatform();
  const session = await ValidationSession.open(platform.validationDeps(dir), 'full');
  session.validateAll();
  const times = [];
  let affected = 0;
  for (let k = 0; k < edits; k++) {
    const i = (k * 7919) % count;
    const folder = `domain-${i % 17}/${productName(i)}`;
    // Alternate edits: serving (local), output (read by consumers), quality, inputs, the SQL logic.
    const kind = ['serving.yaml', 'output.yaml', 'quality.yaml', 'inputs.yaml', 'logic/transform.sql'][k % 5];
    const path = `${folder}/${kind}`;
    const original = await readFile(join(dir, path), 'utf8');
    const edited =
      kind === 'output.yaml'
        ? original.replace('format: parquet', `  - name: extra_${k}\n    type: string\nformat: parquet`)
        : original + (kind.endsWith('.sql') ? `-- edit ${k}\n` : `# edit ${k}\n`);
    const t = performance.now();
    const result = session.update(path, edited);
    times.push(performance.now() - t);
    affected += result.affected.length;
    session.update(path, original);
  }
  return {
    edits,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times),
    meanAffectedProducts: affected / edits,
  };
}

const results = [];
for (const size of sizes) {
  const dir = join(benchDir, `workspace-${size}`);
  await writeSyntheticWorkspace(dir, size);
  const floor = [];
  const cold = [];
  for (let r = 0; r < runs; r++) {
    floor.push(child('floor', dir));
    cold.push(child('cold', dir));
  }
  const floorMs = median(floor.map((f) => f.ms));
  const coldMs = median(cold.map((c) => c.ms));
  const entry = {
    products: size,
    files: floor[0].files + size,
    floorMs: Math.round(floorMs),
    coldMs: Math.round(coldMs),
    coldRatio: Number((coldMs / floorMs).toFixed(3)),
    coldPeakRssMB: Math.round(Math.max(...cold.map((c) => c.maxRssMB))),
    floorPeakRssMB: Math.round(Math.max(...floor.map((f) => f.maxRssMB))),
    errors: cold[0].errors,
    warnings: cold[0].warnings,
    ...(cold[0].errors ? { firstErrors: cold[0].firstErrors } : {}),
  };
  if (size <= 1000) entry.incremental = await incremental(dir, size);
  results.push(entry);
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

const byProducts = Object.fromEntries(results.map((r) => [r.products, r]));
const targets = {
  cold1000RatioMax: 1.25,
  incremental1000P95MsMax: 15,
  rss5000MBMax: 400,
  met: {
    cold1000: byProducts[1000] ? byProducts[1000].coldRatio <= 1.25 : null,
    incremental1000: byProducts[1000]?.incremental ? byProducts[1000].incremental.p95Ms <= 15 : null,
    rss5000: byProducts[5000] ? byProducts[5000].coldPeakRssMB <= 400 : null,
  },
};
const report = {
  benchmark: 'validate',
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  runs,
  results,
  targets,
};
await mkdir(benchDir, { recursive: true });
await writeFile(join(benchDir, 'validate.json'), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
