import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../platform-core/src/adapters/duckdb/duckdb-engine.js';
import { FsScratchSpace } from '../../platform-core/src/adapters/fs/fs-scratch-space.js';
import { ChildProcessPythonRunner } from '../../platform-core/src/adapters/python/child-process-python-runner.js';
import { DuckDbSqlAnalyzer } from '../../platform-core/src/adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { runTransform } from '../../platform-core/src/application/transform/run-transform.js';
import type { ProductLogic } from '../../platform-core/src/application/transform/product-logic.js';
import type { HekimaError } from '../../platform-core/src/domain/errors.js';

const deps = {
  engine: new DuckDbEngine(),
  python: new ChildProcessPythonRunner(),
  sql: new DuckDbSqlAnalyzer(),
  scratch: new FsScratchSpace(),
};

function workspace(code: string): string {
  const root = mkdtempSync(join(tmpdir(), 'hekima-pyws-'));
  mkdirSync(join(root, 'p/logic'), { recursive: true });
  writeFileSync(join(root, 'p/logic/transform.py'), code);
  return root;
}

const logic: ProductLogic = {
  runtime: 'python',
  entrypoint: 'logic/transform.py',
  file: 'p/logic/transform.py',
  text: undefined,
  output: [
    { name: 'id', type: { kind: 'string' }, primaryKey: true, nullable: false },
    { name: 'total', type: { kind: 'decimal', precision: 10, scale: 2 }, primaryKey: false, nullable: true },
    { name: 'day', type: { kind: 'date' }, primaryKey: false, nullable: true },
  ],
  limits: { threads: 1, memoryBytes: 512 * 2 ** 20, timeoutMs: 20_000 },
};
const inputs = [
  {
    id: 'raw-sales',
    source: {
      kind: 'rows' as const,
      columns: [{ name: 'id' }, { name: 'amount', type: { kind: 'float' as const } }],
      rows: [
        { id: 'a', amount: 1.5 },
        { id: 'b', amount: 2.25 },
      ],
    },
  },
];

describe('Python logic through the engine', () => {
  it('shapes and casts the rows transform(inputs) returns, like SQL results', async () => {
    const root = workspace(
      'import datetime\ndef transform(inputs):\n    return [{"id": r["id"], "total": r["amount"] * 2, "day": datetime.date(2026, 3, 2), "extra": 1} for r in inputs["raw-sales"]]\n',
    );
    const result = await runTransform(deps, { root, logic, inputs, collectRows: true });
    expect(result.rows).toEqual([
      ['a', '3.00', '2026-03-02'],
      ['b', '4.50', '2026-03-02'],
    ]);
    expect(result.ordered).toBe(false);
  });

  it('fails as SchemaIncompatible when a returned value does not cast, naming the file, column and value', async () => {
    const root = workspace('def transform(inputs):\n    return [{"id": "a", "total": "lots", "day": None}]\n');
    const error = await runTransform(deps, { root, logic, inputs }).then(
      () => undefined,
      (e: unknown) => e as HekimaError,
    );
    expect(error?.kind).toBe('SchemaIncompatible');
    expect(error?.message).toContain("p/logic/transform.py: column total: value 'lots'");
  });

  it('gives an empty result the declared columns', async () => {
    const root = workspace('def transform(inputs):\n    return []\n');
    const result = await runTransform(deps, { root, logic, inputs, collectRows: true });
    expect(result.rowCount).toBe(0);
    expect(result.columns).toEqual(['id', 'total', 'day']);
  });
});
