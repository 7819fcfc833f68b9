#!/usr/bin/env node
// npm run bench:sql-parse — what the SQL parser costs: DuckDB's json_serialize_sql() on its
// worker thread (start-up, batch and synchronous parse per statement, memory) next to
// libpg-query (the PostgreSQL grammar the validator used before ADR 0021), on the transforms of
// the 1,000-product synthetic workspace. Figures for ADR 0021; JSON on stdout.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticWorkspace, productName } from './synthetic-workspace.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dir = join(root, '.bench', 'workspace-1000');
await writeSyntheticWorkspace(dir, 1000);
const texts = await Promise.all(
  Array.from({ length: 1000 }, (_, i) =>
    readFile(join(dir, `domain-${i % 17}`, productName(i), 'logic', 'transform.sql'), 'utf8'),
  ),
);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);

const rssBefore = rss();
let t = performance.now();
const { DuckDbParserThread } = await import('../../platform-core/dist/adapters/sql/duckdb/parser-thread.js');
const thread = new DuckDbParserThread();
await thread.start();
const duckStartMs = performance.now() - t;
const batches = [];
for (let r = 0; r < 3; r++) {
  const fresh = texts.map((s) => `${s}-- run ${r}\n`);
  t = performance.now();
  const raw = await thread.parseMany(fresh);
  raw.forEach((j) => JSON.parse(j));
  batches.push((performance.now() - t) / texts.length);
}
const sync = [];
for (let i = 0; i < 200; i++) {
  t = performance.now();
  JSON.parse(thread.parseSync([`${texts[i]}-- sync\n`])[0]);
  sync.push(performance.now() - t);
}
const duckRssMB = rss() - rssBefore;
thread.stop();

t = performance.now();
const pg = await import('libpg-query');
await pg.loadModule();
const pgStartMs = performance.now() - t;
const pgRuns = [];
for (let r = 0; r < 3; r++) {
  t = performance.now();
  for (const s of texts) pg.parseSync(s);
  pgRuns.push((performance.now() - t) / texts.length);
}

const report = {
  benchmark: 'sql-parse',
  statements: texts.length,
  duckdb: {
    startMs: Math.round(duckStartMs),
    batchMsPerStatement: Number(median(batches).toFixed(3)),
    syncMsPerStatement: Number(median(sync).toFixed(3)),
    rssAddedMB: duckRssMB,
  },
  libpgQuery: { startMs: Math.round(pgStartMs), msPerStatement: Number(median(pgRuns).toFixed(3)) },
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
