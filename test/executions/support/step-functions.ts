import { permanent, transient } from '../../../platform-core/src/domain/errors.js';
import type { Execution } from '../../../platform-core/src/domain/catalog/execution.js';
import type { JsonObject } from '../../../platform-core/src/domain/json.js';
import type { ExecutionHandler, StepPlan, StepRunner } from '../../../platform-core/src/ports/execution-handler.js';
import type { SqlDatabase } from '../../../platform-core/src/ports/sql-database.js';

/**
 * Real step functions for in-process tests, writing to two tables of the test schema:
 * `test_step_runs` (every start of every step function, no unique key: counts runs) and
 * `test_effects` (the effect of `write` steps, unique per execution and step).
 */
export const TEST_TABLES = `
CREATE TABLE IF NOT EXISTS test_step_runs (id bigserial PRIMARY KEY, execution_id uuid NOT NULL, step text NOT NULL, worker text NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE IF NOT EXISTS test_effects (execution_id uuid NOT NULL, step text NOT NULL, worker text NOT NULL, PRIMARY KEY (execution_id, step));
`;

export type PlansByProduct = Record<string, readonly StepPlan[]>;

export function testHandler(plans: PlansByProduct): ExecutionHandler {
  return {
    plan: async (execution: Execution) => plans[execution.productId] ?? [],
  };
}

/** Kinds: write, sleep {ms}, flaky {failures}, fail (permanent), hang (until aborted). */
export function testRunner(
  db: SqlDatabase,
  worker: string,
  gate?: (step: StepPlan, execution: Execution) => Promise<void>,
): StepRunner {
  return {
    async run(step, ctx): Promise<JsonObject> {
      const id = ctx.execution.id;
      const runs = await db.admin.transaction(async (sql) => {
        await sql.query('INSERT INTO test_step_runs (execution_id, step, worker, attempt) VALUES ($1, $2, $3, $4)', [
          id,
          step.name,
          worker,
          ctx.attempt,
        ]);
        const { rows } = await sql.query(
          'SELECT count(*) AS n FROM test_step_runs WHERE execution_id = $1 AND step = $2',
          [id, step.name],
        );
        return Number(rows[0]!['n']);
      });
      await gate?.(step, ctx.execution);
      const p = (step.params ?? {}) as JsonObject;
      switch (step.kind) {
        case 'write':
          await db.admin.transaction((sql) =>
            sql.query(
              'INSERT INTO test_effects (execution_id, step, worker) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
              [id, step.name, worker],
            ),
          );
          return { wrote: 1 };
        case 'sleep':
          await sleep(Number(p['ms'] ?? 10), ctx.signal);
          return { slept: Number(p['ms'] ?? 10) };
        case 'flaky':
          if (runs <= Number(p['failures'] ?? 1)) throw transient('flaky_source', `flaky failure ${runs}`);
          return { runs };
        case 'fail':
          throw permanent('bad_logic', 'this step always fails');
        case 'hang':
          await sleep(3_600_000, ctx.signal);
          return {};
        default:
          return { previous: Object.keys(ctx.outputs).length };
      }
    },
  };
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
