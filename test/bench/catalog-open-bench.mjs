#!/usr/bin/env node
/* global Blob */
// node test/bench/catalog-open-bench.mjs — what a NEW embedded catalog costs (the cold start of
// `hekima run` on a workspace without `.hekima/`), with and without the prebuilt template. Each
// sample is a fresh process (so peak RSS is that open's own), timing PgliteDatabase.open +
// migrate on an empty data folder:
//   initdb          templateDir: false — initdb in WASM, then every migration (the old path)
//   template        the template tarball extracted by Node, then PostgreSQL started on it
//   template-gzip   the same from a gzip tarball
//   pglite-load     PGlite's own `loadDataDir` of the same tarball (the alternative we measured)
//   reopen          an existing catalog opened again (the floor)
// Needs `tsc -b` first (it loads platform-core/dist). HEKIMA_BENCH_SAMPLES (default 3) per mode.
// Prints JSON and writes .bench/catalog-open.json.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dist = (p) => import(join(root, 'platform-core/dist', p));
const SAMPLES = Number(process.env.HEKIMA_BENCH_SAMPLES ?? 3);
const MODES = (process.env.HEKIMA_BENCH_MODES ?? 'initdb,template,template-gzip,pglite-load,reopen').split(',');

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await main();
}

async function main() {
  const { buildCatalogTemplate } = await dist('adapters/postgres/build-catalog-template.js');
  const work = await mkdtemp(join(tmpdir(), 'hekima-open-bench-'));
  try {
    const plain = await buildCatalogTemplate({ dir: join(work, 'tpl-none') });
    const gzip = await buildCatalogTemplate({ dir: join(work, 'tpl-gzip'), compression: 'gzip' });
    const templates = {
      template: join(work, 'tpl-none'),
      'template-gzip': join(work, 'tpl-gzip'),
      'pglite-load': join(work, 'tpl-none', plain.file),
      reopen: join(work, 'tpl-none'),
    };
    const results = {};
    for (const mode of MODES) {
      const samples = [];
      for (let i = 0; i < SAMPLES; i++) {
        const dataDir = join(work, `${mode}-${i}`, 'catalog');
        if (mode === 'reopen') runChild('template', templates.template, dataDir); // create it first
        samples.push(runChild(mode, templates[mode] ?? '', dataDir));
        await rm(join(work, `${mode}-${i}`), { recursive: true, force: true });
      }
      results[mode] = summarise(samples);
    }
    const report = {
      bench: 'catalog-open',
      samples: SAMPLES,
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      templateBytes: { none: plain.bytes, gzip: gzip.bytes },
      results,
    };
    await mkdir(join(root, '.bench'), { recursive: true });
    await writeFile(join(root, '.bench', 'catalog-open.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runChild(mode, template, dataDir) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, template, dataDir], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

function summarise(samples) {
  const pick = (k) => samples.map((s) => s[k]).sort((a, b) => a - b);
  const median = (v) => v[Math.floor((v.length - 1) / 2)];
  const out = { origin: samples[0].origin };
  for (const k of ['openMs', 'migrateMs', 'totalMs', 'peakRssMB']) {
    const v = pick(k);
    out[k] = { min: v[0], median: median(v), max: v.at(-1) };
  }
  return out;
}

async function child(mode, template, dataDir) {
  const { PgliteDatabase } = await dist('adapters/postgres/pglite-database.js');
  const { migrate } = await dist('adapters/postgres/migrations/migrator.js');
  if (mode === 'pglite-load') {
    // PGlite untars into its WASM file system itself (open only: migrate would see it all applied).
    const { PGlite } = await import('@electric-sql/pglite');
    await mkdir(dataDir, { recursive: true });
    const started = performance.now();
    const pg = await PGlite.create({ dataDir, loadDataDir: new Blob([await readFile(template)]) });
    const openMs = Math.round(performance.now() - started);
    await pg.close();
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    const sample = { origin: 'pglite-load', applied: 0, openMs, migrateMs: 0, totalMs: openMs, peakRssMB };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
    return;
  }
  const started = performance.now();
  const db = await PgliteDatabase.open({ dataDir, templateDir: mode === 'initdb' ? false : template });
  const opened = performance.now();
  const report = await migrate(db);
  const migrated = performance.now();
  await db.close();
  const expected = { initdb: 'initdb', reopen: 'existing' }[mode] ?? 'template';
  if (db.origin !== expected) throw new Error(`${mode}: opened as ${db.origin} (${db.templateMiss})`);
  process.stdout.write(
    `${JSON.stringify({
      origin: db.origin,
      applied: report.applied.length,
      openMs: Math.round(opened - started),
      migrateMs: Math.round(migrated - opened),
      totalMs: Math.round(migrated - started),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
}
