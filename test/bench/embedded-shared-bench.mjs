#!/usr/bin/env node
// npm run bench:embedded-shared — several processes on one embedded workspace (docs/adr/0024).
//  1. Transactions: `SELECT 1` transactions per process on one catalog, (a) PgliteDatabase alone
//     in its process (the floor: no sharing), (b) the host of a shared catalog, (c) a guest (over
//     the local socket) while the host runs the same loop.
//  2. `hekima query outlets --json` (fresh CLI processes, wall time) on the retail sample: idle
//     (nothing else open) and while `hekima run` is active in another process. Issue 11 target:
//     busy p95 ≤ 2 × idle p95.
// Needs `tsc -b` (loads platform-core/dist). HEKIMA_BENCH_QUERIES (default 15) per phase.
// Prints JSON and writes .bench/embedded-shared.json.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dist = (p) => join(root, 'platform-core/dist', p);
const hekimaBin = join(root, 'platform-core', 'bin', 'hekima.js');
const QUERIES = Number(process.env.HEKIMA_BENCH_QUERIES ?? 15);
const TX_MS = 3000;

if (process.argv[2] === '--tx-child') await txChild(process.argv[3], process.argv[4]);
else await main();

/** A child: `SELECT 1` transactions for TX_MS on `dataDir`; prints its latencies' summary. */
async function txChild(mode, dataDir) {
  const db =
    mode === 'alone'
      ? await (await import(dist('adapters/postgres/pglite-database.js'))).PgliteDatabase.open({ dataDir })
      : await (
          await import(dist('adapters/postgres/shared/shared-pglite-database.js'))
        ).SharedPgliteDatabase.open({
          dataDir,
        });
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r)); // start together
  const lat = [];
  const until = performance.now() + TX_MS;
  while (performance.now() < until) {
    const t = performance.now();
    await db.admin.transaction((sql) => sql.query('SELECT 1'));
    lat.push(performance.now() - t);
  }
  const hosting = mode === 'alone' ? true : await db.hosting();
  // Keep serving until the parent says stop (a guest still finishing must not lose its host).
  process.stdout.write(JSON.stringify({ ...stats(lat), hosting }) + '\n');
  await new Promise((r) => process.stdin.once('data', r));
  await db.close();
  process.exit(0); // stdin stays open (the parent's pipe): leave without waiting for it
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => +s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(2);
  return { n: s.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: +s[s.length - 1].toFixed(2) };
}

function child(args, cwd) {
  const c = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HEKIMA_LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines = [];
  const waiters = [];
  c.stdout.on('data', (d) => {
    out += d;
    for (;;) {
      const i = out.indexOf('\n');
      if (i < 0) break;
      lines.push(out.slice(0, i));
      out = out.slice(i + 1);
      while (waiters.length && lines.length) waiters.shift()(lines.shift());
    }
  });
  c.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => c.on('close', (code) => r({ code, stderr: err, rest: out })));
  return {
    proc: c,
    exited,
    line: () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((r) => waiters.push(r))),
  };
}

async function transactions() {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-bench-tx-'));
  try {
    const dataDir = join(dir, 'catalog');
    const alone = child([fileURLToPath(import.meta.url), '--tx-child', 'alone', dataDir], dir);
    await alone.line();
    alone.proc.stdin.write('go\n');
    const floor = JSON.parse(await alone.line());
    alone.proc.stdin.write('stop\n');
    await alone.exited;
    const host = child([fileURLToPath(import.meta.url), '--tx-child', 'shared', dataDir], dir);
    await host.line();
    const guest = child([fileURLToPath(import.meta.url), '--tx-child', 'shared', dataDir], dir);
    await guest.line();
    host.proc.stdin.write('go\n');
    guest.proc.stdin.write('go\n');
    const [h, g] = [JSON.parse(await host.line()), JSON.parse(await guest.line())];
    guest.proc.stdin.write('stop\n');
    await guest.exited;
    host.proc.stdin.write('stop\n');
    await host.exited;
    return { alone: floor, host: h, guest: g };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function retailWorkspace() {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-bench-shared-'));
  const retail = join(root, 'fixtures/workspaces/retail');
  await cp(retail, dir, { recursive: true, filter: (src) => !src.includes('.hekima') });
  const fixture = (product, file) => join(dir, product, 'tests/fixtures', file);
  await cp(fixture('customers', 'raw-customers.csv'), join(dir, 'data/customers.csv'));
  await cp(fixture('outlets', 'raw-outlets.csv'), join(dir, 'data/outlets.csv'));
  await cp(fixture('products-catalog', 'raw-products.csv'), join(dir, 'data/products-catalog.csv'));
  const pos = JSON.parse(await readFile(fixture('pos-transactions', 'raw-pos-transactions.json'), 'utf8'));
  await writeFile(join(dir, 'data/pos-transactions.jsonl'), pos.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return dir;
}

async function timedQuery(dir) {
  const t = performance.now();
  const q = child([hekimaBin, 'query', 'outlets', '--json'], dir);
  const { code, stderr } = await q.exited;
  if (code !== 0) throw new Error(`hekima query failed (${code}): ${stderr}`);
  return performance.now() - t;
}

async function queries() {
  const dir = await retailWorkspace();
  try {
    const first = await child([hekimaBin, 'run', '--json'], dir).exited;
    if (first.code !== 0) throw new Error(`hekima run failed: ${first.stderr}`);
    const idle = [];
    for (let i = 0; i < QUERIES; i++) idle.push(await timedQuery(dir));
    const busy = [];
    const runMs = [];
    const failures = [];
    const startRun = () => {
      const t = performance.now();
      const run = child([hekimaBin, 'run', '--json'], dir);
      void run.exited.then(() => (run.done = true));
      void run.exited.then(({ code, stderr }) =>
        code === 0 ? runMs.push(performance.now() - t) : failures.push(stderr.slice(0, 500)),
      );
      return run;
    };
    let active = startRun();
    await sleep(1500); // the run is under way (validating, deploying)
    while (busy.length < QUERIES) {
      if (active.done) active = startRun(); // keep a run active for every query
      busy.push(await timedQuery(dir));
    }
    await active.exited;
    if (failures.length) throw new Error(`hekima run failed while measured: ${failures.join('\n')}`);
    return { idle: stats(idle), whileRunActive: stats(busy), runsMs: runMs.map(Math.round) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const tx = await transactions();
  const q = await queries();
  const ratio = +(q.whileRunActive.p95Ms / q.idle.p95Ms).toFixed(2);
  const result = {
    bench: 'embedded-shared',
    node: process.version,
    transactions: {
      what: `SELECT 1 transactions for ${TX_MS / 1000} s: PGlite alone in its process; then host and guest of one shared catalog at the same time`,
      ...tx,
    },
    query: {
      what: 'hekima query outlets --json, a fresh CLI process each (wall ms); idle, then while hekima run is active in another process',
      ...q,
      p95Ratio: ratio,
      target: 2,
    },
    pass: { queryWhileRun: ratio <= 2 },
  };
  const text = JSON.stringify(result, null, 2);
  await mkdir(join(root, '.bench'), { recursive: true });
  await writeFile(join(root, '.bench', 'embedded-shared.json'), text + '\n');
  process.stdout.write(text + '\n');
  console.error(
    `transactions p50/p95 ms: alone ${tx.alone.p50Ms}/${tx.alone.p95Ms}, host ${tx.host.p50Ms}/${tx.host.p95Ms}, guest ${tx.guest.p50Ms}/${tx.guest.p95Ms}\n` +
      `hekima query p95: idle ${q.idle.p95Ms} ms, while a run is active ${q.whileRunActive.p95Ms} ms (ratio ${ratio}, target ≤ 2)`,
  );
}
