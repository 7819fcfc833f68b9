// One measurement in a fresh process, for run-bench.mjs. Modes:
//   hekima <workspace>  — the CLI's `hekima run <workspace> --json`, in this process;
//   floor <workspace>   — DuckDB (@duckdb/node-api, resolved from platform-core) running the
//                         products' SQL on the same CSV and writing Parquet.
//   inproc <workspace> <n> — ONE process, the platform opened once: a warm-up `hekima run` (it
//                         deploys and opens the catalog) and a warm-up floor, then n rounds of
//                         [floor, `hekima run` through runCli with the same platform]; per-round
//                         times in `detail` (the in-process comparison of issue #5's benchmark).
// Prints one JSON line on exit: { ms, maxRssMB, cpuMs, exitCode, detail }.
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, ws] = process.argv.slice(2);
const started = performance.now();
let detail = {};

function report() {
  const line = {
    mode,
    ms: performance.now() - started,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    // CPU of every thread (user + system): steadier than wall time on a loaded machine.
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    exitCode: process.exitCode ?? 0,
    detail,
  };
  process.stderr.write(`\n@@BENCH ${JSON.stringify(line)}\n`);
}
process.on('exit', report);

if (mode === 'hekima') {
  // Quiet the CLI's JSON summary into `detail` instead of the bench's stdout.
  const chunks = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (c) => {
    chunks.push(String(c));
    return true;
  };
  // Runs before report(): keep the CLI's JSON summary as `detail`.
  process.prependListener('exit', () => {
    process.stdout.write = write;
    const text = chunks.join('');
    try {
      detail = { summary: JSON.parse(text) };
    } catch {
      detail = { stdoutTail: text.slice(-2000) };
    }
  });
  process.argv = [process.argv[0], 'hekima', 'run', ws, '--json'];
  await import(pathToFileURL(new URL('../../platform-core/bin/hekima.js', import.meta.url).pathname).href);
} else if (mode === 'floor') {
  detail = await floorRun(ws);
} else if (mode === 'inproc') {
  detail = await inProcess(ws, Number(process.argv[4] ?? 3));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}

/** DuckDB alone: the products' SQL on the same CSV, each result written as Parquet. */
async function floorRun(ws) {
  const require = createRequire(new URL('../../platform-core/package.json', import.meta.url));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const out = join(ws, '.floor');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const csv = join(ws, 'data', 'orders.csv').replaceAll("'", "''");
  const ordersPq = join(out, 'orders.parquet').replaceAll("'", "''");
  const dailyPq = join(out, 'daily.parquet').replaceAll("'", "''");
  // Same SQL as the products: the source's cast, then the aggregate, each written as Parquet.
  await conn.run(
    `COPY (SELECT order_id, customer_id, CAST(amount AS DECIMAL(12, 2)) AS amount, ordered_at
           FROM read_csv('${csv}', header = true))
     TO '${ordersPq}' (FORMAT parquet)`,
  );
  await conn.run(
    `COPY (SELECT customer_id, CAST(ordered_at AS DATE) AS order_date, COUNT(*) AS order_count,
                  SUM(amount) AS revenue
           FROM read_parquet('${ordersPq}')
           GROUP BY customer_id, CAST(ordered_at AS DATE))
     TO '${dailyPq}' (FORMAT parquet)`,
  );
  const r = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM read_parquet('${dailyPq}')`);
  const dailyRows = Number(r.getRows()[0][0]);
  conn.closeSync?.();
  instance.closeSync?.();
  return { dailyRows };
}

/** The platform opened once; floor and `hekima run` alternate in this process. */
async function inProcess(ws, rounds) {
  const core = await import(pathToFileURL(new URL('../../platform-core/dist/index.js', import.meta.url).pathname).href);
  const config = await core.loadConfig({ env: process.env, workspaceRoot: ws });
  const platform = core.createPlatform({ config });
  const io = (sink) => ({
    stdout: { write: (t) => (sink.out += t), isTTY: false },
    stderr: { write: (t) => (sink.err += t), isTTY: false },
    cwd: ws,
    env: process.env,
  });
  const hekimaRun = async () => {
    const sink = { out: '', err: '' };
    const t = performance.now();
    const code = await core.runCli(['run', ws, '--json'], io(sink), platform);
    const ms = performance.now() - t;
    if (code !== 0) throw new Error(`hekima run exited ${code}\n${sink.out.slice(-2000)}\n${sink.err.slice(-2000)}`);
    return { ms, summary: JSON.parse(sink.out) };
  };
  const timedFloor = async () => {
    const t = performance.now();
    await floorRun(ws);
    return performance.now() - t;
  };
  const warm = await hekimaRun();
  await timedFloor();
  const floorMs = [];
  const runMs = [];
  let last = warm.summary;
  for (let i = 0; i < rounds; i++) {
    floorMs.push(await timedFloor());
    const r = await hekimaRun();
    runMs.push(r.ms);
    last = r.summary;
  }
  await platform.close();
  return {
    warmupRunMs: Math.round(warm.ms),
    floorMs: floorMs.map(Math.round),
    runMs: runMs.map(Math.round),
    products: last.products.map((p) => ({
      product: p.product,
      status: p.status,
      rows: p.rows,
      ms: p.ms,
      steps: p.steps,
      primaryKey: p.primaryKey,
    })),
  };
}
