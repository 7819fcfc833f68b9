import type { BoundInput, Engine, OutputColumnSpec } from '../../ports/engine.js';
import { typeOf } from './fixture-values.js';
import type { ScaffoldColumn } from './query-plan.js';
import type { ExpectedOutputRun, ScaffoldResult } from './scaffold-product.js';
import { toCsv } from './text.js';

/**
 * Completes a scaffold with tests/fixtures/expected_output.csv: the engine (DuckDB, as `hekima
 * test` and `hekima run` use it) runs the product's SQL on its fixture rows, and whatever it
 * returns is the expected output. There is no second evaluation of the SQL: a scaffold's test
 * passes because the engine produced its expectation, and fails only when the logic changes.
 */
export async function withExpectedOutput(
  deps: { readonly engine: Engine },
  result: ScaffoldResult,
  signal?: AbortSignal,
): Promise<ScaffoldResult> {
  const content = await expectedOutputCsv(deps.engine, result.expectedOutput, signal);
  const file = { path: result.expectedOutput.path, content };
  // Beside the other fixtures, before any file outside the product folder.
  const folder = result.expectedOutput.path.slice(0, -'tests/fixtures/expected_output.csv'.length);
  const after = result.created.findLastIndex((f) => f.path.startsWith(folder));
  const created = [...result.created];
  created.splice(after + 1, 0, file);
  return { ...result, created };
}

const spec = (c: ScaffoldColumn): OutputColumnSpec => ({
  name: c.name,
  type: typeOf(c.type),
  primaryKey: c.primaryKey,
  nullable: c.nullable,
});

async function expectedOutputCsv(engine: Engine, run: ExpectedOutputRun, signal?: AbortSignal): Promise<string> {
  const inputs: BoundInput[] = run.inputs.map(({ id, columns, table }) => ({
    id,
    source: {
      kind: 'rows',
      columns: table.header.map((name) => {
        const declared = columns?.find((c) => c.name === name);
        return declared ? { name, type: typeOf(declared.type) } : { name };
      }),
      rows: table.rows.map((row) => Object.fromEntries(table.header.map((name, i) => [name, row[i] ?? null]))),
    },
  }));
  const ran = await engine.run({
    logic: { kind: 'sql', sql: run.sql, file: run.logicFile },
    inputs,
    output: run.output.map(spec),
    collectRows: true,
    ...(signal ? { signal } : {}),
  });
  return toCsv(ran.columns, ran.rows ?? []);
}
