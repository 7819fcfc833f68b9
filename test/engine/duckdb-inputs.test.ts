import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../platform-core/src/adapters/duckdb/duckdb-engine.js';
import type { HekimaError } from '../../platform-core/src/domain/errors.js';
import type { OutputColumnSpec } from '../../platform-core/src/ports/engine.js';

const engine = new DuckDbEngine();
const out = (name: string, kind: 'string' | 'integer' | 'timestamp' | 'date'): OutputColumnSpec => ({
  name,
  type: { kind },
  primaryKey: false,
  nullable: true,
});

describe('DuckDbEngine inputs', () => {
  it('reads Parquet, CSV and JSON-lines files, typed when the columns are declared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-inputs-'));
    writeFileSync(join(dir, 'a.csv'), 'id,n\nx,1\ny,2\n');
    writeFileSync(
      join(dir, 'b.jsonl'),
      '{"id":"x","at":"2026-03-02T09:00:00+03:00"}\n{"id":"y","at":"2026-03-02T07:00:00Z"}\n',
    );
    const parquet = join(dir, 'c.parquet');
    await engine.run({
      logic: { kind: 'sql', file: 'f.sql', sql: "SELECT 'x' AS id, DATE '2026-03-01' AS d" },
      inputs: [],
      output: [out('id', 'string'), out('d', 'date')],
      outputPath: parquet,
    });
    const result = await engine.run({
      logic: {
        kind: 'sql',
        file: 'f.sql',
        sql: 'SELECT a.id, a.n, b.at, c.d FROM "in-a" AS a JOIN in_b AS b USING (id) LEFT JOIN "in-c" AS c USING (id) ORDER BY a.id',
      },
      inputs: [
        {
          id: 'in-a',
          source: {
            kind: 'file',
            path: join(dir, 'a.csv'),
            format: 'csv',
            columns: [{ name: 'id' }, { name: 'n', type: { kind: 'integer' } }],
          },
        },
        {
          id: 'in-b',
          source: {
            kind: 'file',
            path: join(dir, 'b.jsonl'),
            format: 'json',
            columns: [{ name: 'id' }, { name: 'at', type: { kind: 'timestamp' } }],
          },
        },
        { id: 'in-c', source: { kind: 'file', path: parquet, format: 'parquet' } },
      ],
      output: [out('id', 'string'), out('n', 'integer'), out('at', 'timestamp'), out('d', 'date')],
      collectRows: true,
    });
    expect(result.rows).toEqual([
      ['x', '1', '2026-03-02 06:00:00', '2026-03-01'],
      ['y', '2', '2026-03-02 07:00:00', null],
    ]);
  });

  it('exports inputs as JSON lines for out-of-process logic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hekima-export-'));
    const [file] = await engine.exportInputs(
      [
        {
          id: 'rows',
          source: {
            kind: 'rows',
            columns: [{ name: 'a', type: { kind: 'integer' } }, { name: 'b' }],
            rows: [
              { a: 1, b: 'x' },
              { a: null, b: null },
            ],
          },
        },
      ],
      dir,
    );
    expect(file?.columns).toEqual(['a', 'b']);
    expect(
      readFileSync(file?.path ?? '', 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { a: 1, b: 'x' },
      { a: null, b: null },
    ]);
  });

  it('stops when the AbortSignal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ^C')), 200);
    const error = await engine
      .run({
        logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT COUNT(*) AS n FROM range(100000000000)' },
        inputs: [],
        output: [out('n', 'integer')],
        limits: { threads: 1 },
        signal: controller.signal,
      })
      .then(
        () => undefined,
        (e: unknown) => e as HekimaError,
      );
    expect(error?.kind).toBe('Cancelled');
    expect(error?.code).toBe('aborted');
  });

  it('applies the memory limit of compute.yaml', async () => {
    const error = await engine
      .run({
        logic: {
          kind: 'sql',
          file: 'f.sql',
          sql: "SELECT COUNT(DISTINCT s) AS n FROM (SELECT range::VARCHAR || repeat('x', 100) AS s FROM range(3000000))",
        },
        inputs: [],
        output: [out('n', 'integer')],
        limits: { memoryBytes: 32 * 2 ** 20, threads: 1 },
      })
      .then(
        () => undefined,
        (e: unknown) => e as HekimaError,
      );
    expect(error?.message).toMatch(/Out of Memory|memory/i);
  });
});
