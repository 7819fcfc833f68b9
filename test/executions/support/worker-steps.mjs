/* global setTimeout, clearTimeout */
// The step runtime `hekima worker --steps` loads in the multi-process tests: real step functions
// writing to the test schema (test_step_runs: every start of a step; test_effects: write steps).
// Plans come from HEKIMA_TEST_PLANS (JSON: product id → steps).
import pg from 'pg';
import { permanent, transient } from '../../../platform-core/dist/domain/errors.js';

export async function createStepRuntime({ env }) {
  const schema = env.HEKIMA_DATABASE_SCHEMA;
  const worker = env.HEKIMA_TEST_WORKER ?? String(process.pid);
  const pool = new pg.Pool({
    connectionString: env.HEKIMA_DATABASE_URL,
    max: 4,
    options: `-c search_path="${schema}"`,
  });
  const plans = JSON.parse(env.HEKIMA_TEST_PLANS ?? '{}');
  const sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });
  return {
    handler: { plan: async (execution) => plans[execution.productId] ?? [] },
    runner: {
      async run(step, ctx) {
        const id = ctx.execution.id;
        const { rows } = await pool.query(
          `WITH ins AS (INSERT INTO test_step_runs (execution_id, step, worker, attempt) VALUES ($1, $2, $3, $4) RETURNING 1)
           SELECT count(*) + 1 AS n FROM test_step_runs WHERE execution_id = $1 AND step = $2`,
          [id, step.name, worker, ctx.attempt],
        );
        const runs = Number(rows[0].n);
        const p = step.params ?? {};
        switch (step.kind) {
          case 'write':
            await pool.query(
              'INSERT INTO test_effects (execution_id, step, worker) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
              [id, step.name, worker],
            );
            return { wrote: 1 };
          case 'sleep':
            await sleep(Number(p.ms ?? 10), ctx.signal);
            return { slept: Number(p.ms ?? 10) };
          case 'crash':
            if (runs === 1) process.kill(process.pid, 'SIGKILL'); // the first run takes the whole worker down
            return { survived: runs };
          case 'flaky':
            if (runs <= Number(p.failures ?? 1)) throw transient('flaky_source', `flaky failure ${runs}`);
            return { runs };
          case 'fail':
            throw permanent('bad_logic', 'this step always fails');
          default:
            return {};
        }
      },
    },
    close: () => pool.end(),
  };
}
