#!/usr/bin/env node
/* global setTimeout */
// node test/bench/queue-choice-bench.mjs — the measurements behind docs/adr/0009 (queue choice):
// pg-boss@10 run over Hekima's SqlDatabase admin path (a custom `db.executeSql`) on PostgreSQL and
// PGlite, against what the executions need: wake-up latency, a lease kept alive by heartbeats,
// and placement. Writes .bench/queue-choice.json.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = (p) => import(join(root, 'platform-core/dist', p));
const { PgliteDatabase } = await dist('adapters/postgres/pglite-database.js');
const { PostgresDatabase } = await dist('adapters/postgres/postgres-database.js');
const URL_ = process.env.HEKIMA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.env.HEKIMA_BENCH_JOBS ?? 40);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (v, p) =>
  +[...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)].toFixed(1);

/** pg-boss's `db` over the admin path: one admin transaction per call; scripts go through exec. */
function bossDb(db) {
  return {
    executeSql: (text, values) =>
      db.admin.transaction(async (sql) => {
        if ((values?.length ?? 0) === 0 && /;\s*\S/.test(text.trim().replace(/;\s*$/, ''))) {
          await sql.exec(text);
          return { rows: [] };
        }
        return sql.query(text, values ?? []);
      }),
  };
}

async function measure(driver) {
  const schema = `pgboss_bench_${randomUUID().slice(0, 6)}`;
  const db =
    driver === 'pglite'
      ? await PgliteDatabase.open()
      : await PostgresDatabase.open({ url: URL_, schema: 'public', poolSize: 6 });
  const boss = new PgBoss({ db: bossDb(db), schema, supervise: false, schedule: false, migrate: true });
  boss.on('error', () => undefined);
  const t0 = performance.now();
  await boss.start();
  const startMs = +(performance.now() - t0).toFixed(0);
  await boss.createQueue('latency');
  await boss.createQueue('lease');

  // 1. Wake-up latency of work() at its minimum polling interval (500 ms; no cross-process notify),
  //    batches of up to 20 so that throughput is not the limit.
  const sent = new Map();
  const lat = [];
  await boss.work('latency', { pollingIntervalSeconds: 0.5, batchSize: 20 }, async (jobs) => {
    for (const job of jobs) lat.push(performance.now() - sent.get(job.data.i));
  });
  for (let i = 0; i < N; i++) {
    sent.set(i, performance.now());
    await boss.send('latency', { i });
    await pause(137);
  }
  for (let waited = 0; lat.length < N && waited < 10_000; waited += 100) await pause(100);
  await boss.offWork('latency');

  // 2. A lease without heartbeats: a job active longer than expireIn is expired by maintenance and
  //    handed to a second fetch while the first holder still runs it.
  const id = await boss.send('lease', {}, { expireInSeconds: 1, retryLimit: 3 });
  const [first] = await boss.fetch('lease');
  await pause(1500); // the holder is still "working" — pg-boss 10 has no way to extend its lease
  await boss.maintain();
  const [second] = await boss.fetch('lease', { ignoreStartAfter: true });
  const duplicate = first?.id === id && second?.id === id;

  // 3. Same job, retryLimit 0 (to avoid the duplicate): the expired job fails; nothing resumes it.
  const id0 = await boss.send('lease', {}, { expireInSeconds: 1, retryLimit: 0 });
  await boss.fetch('lease');
  await pause(1500);
  await boss.maintain();
  const after = await boss.getJobById('lease', id0);

  await boss.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
  if (driver === 'postgres') await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await db.close();
  return {
    start_ms: startMs,
    work_latency_ms: { n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95) },
    long_step_redelivered_while_running: duplicate,
    expired_job_state_without_retries: after?.state,
  };
}

const results = {};
for (const driver of ['postgres', 'pglite']) results[driver] = await measure(driver);
const report = { benchmark: 'queue-choice', pgboss: '10.4.2', node: process.version, jobs: N, results };
await mkdir(join(root, '.bench'), { recursive: true });
await writeFile(join(root, '.bench', 'queue-choice.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
