import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { col, engine, failure } from './support/engine-helpers.js';
import type { BoundInput } from '../../platform-core/src/ports/engine.js';

/**
 * The one-pass data path: file inputs are views read in place (one or several files), the
 * shaped result is streamed straight into the Parquet output, and output.yaml's constraints are
 * checked on the written file with the same errors as before.
 */
async function readParquet(path: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const reader = await c.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    return reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'hekima-one-pass-'));
}

describe('DuckDbEngine one-pass data path', () => {
  it('reads several CSV files as one input (columns by name), typed or sniffed', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'a.csv'), 'id,amount\n1,2.50\n2,3.00\n');
    writeFileSync(join(dir, 'b.csv'), 'amount,id\n4.25,3\n');
    const paths = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    const out = join(dir, 'out.parquet');
    const sql = 'SELECT id, amount FROM raw_sales ORDER BY id';
    const output = [col('id', 'integer', { primaryKey: true }), col('amount', 'decimal(10,2)')];
    for (const source of [
      { kind: 'file' as const, paths, format: 'csv' as const },
      {
        kind: 'file' as const,
        paths,
        format: 'csv' as const,
        columns: [{ name: 'id', type: { kind: 'integer' as const } }, { name: 'amount' }],
      },
    ]) {
      const result = await engine.run({
        logic: { kind: 'sql', file: 'f.sql', sql },
        inputs: [{ id: 'raw-sales', source }],
        output,
        outputPath: out,
        collectRows: true,
      });
      expect(result.rowCount).toBe(3);
      expect(result.rows).toEqual([
        ['1', '2.50'],
        ['2', '3.00'],
        ['3', '4.25'],
      ]);
      expect(await readParquet(out)).toEqual(result.rows);
    }
  });

  it("reads a CSV with the connector's sniff when given one, without sampling it again", async () => {
    const dir = workDir();
    const input = join(dir, 'codes.csv');
    writeFileSync(input, 'code,n\n7,1\n10,2\n');
    const sql = 'SELECT code, typeof(code) AS code_type FROM codes ORDER BY n';
    const output = [col('code', 'string'), col('code_type', 'string')];
    const run = (csvOptions?: string) =>
      engine.run({
        logic: { kind: 'sql', file: 'f.sql', sql },
        inputs: [
          { id: 'codes', source: { kind: 'file', path: input, format: 'csv', ...(csvOptions ? { csvOptions } : {}) } },
        ],
        output,
        collectRows: true,
      });
    // Sniffed by the engine: the codes look like integers.
    expect((await run()).rows).toEqual([
      ['7', 'BIGINT'],
      ['10', 'BIGINT'],
    ]);
    // Sniffed before (here: with the code column pinned as text): read exactly that way.
    const options =
      "auto_detect=false, delim=',', quote='\"', escape='\"', new_line='\\n', skip=0, header=true, columns={'code': 'VARCHAR', 'n': 'BIGINT'})";
    expect((await run(options)).rows).toEqual([
      ['7', 'VARCHAR'],
      ['10', 'VARCHAR'],
    ]);
  });

  it('lets the logic read its input files and write its output, and no other file', async () => {
    const dir = workDir();
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'a\n1\n');
    writeFileSync(join(dir, 'secret.csv'), 'a\n42\n');
    writeFileSync(join(dir, 'in.csv.bak'), 'a\n43\n');
    const inputs: BoundInput[] = [{ id: 'in', source: { kind: 'file', path: input, format: 'csv' } }];
    const out = join(dir, 'out.parquet');
    const ok = await engine.run({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT a FROM "in"' },
      inputs,
      output: [col('a', 'integer')],
      outputPath: out,
    });
    expect(ok.rowCount).toBe(1);
    for (const sql of [
      `SELECT a FROM read_csv('${join(dir, 'secret.csv')}')`,
      `SELECT a FROM read_csv('${join(dir, 'in.csv.bak')}')`,
      `SELECT a FROM read_csv('${join(dir, '*.csv')}')`,
      `SELECT a FROM '${join(dir, 'secret.csv')}'`,
      `SELECT count(*) AS a FROM glob('${join(dir, '*')}')`,
      `SELECT a FROM read_csv('${join(dir, 'x', '..', 'secret.csv')}')`,
    ]) {
      const e = await failure({
        logic: { kind: 'sql', file: 'f.sql', sql },
        inputs,
        output: [col('a', 'integer')],
        outputPath: join(dir, 'blocked.parquet'),
      });
      expect(e.message, sql).toMatch(/disabled by configuration|Permission/);
    }
    expect(existsSync(join(dir, 'blocked.parquet'))).toBe(false);
  });

  it('a typed input value that does not cast fails as input_unreadable naming the input', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'in.csv'), 'id,n\na,1\nb,x\n');
    const e = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT id, n FROM "in"' },
      inputs: [
        {
          id: 'in',
          source: {
            kind: 'file',
            path: join(dir, 'in.csv'),
            format: 'csv',
            columns: [{ name: 'id' }, { name: 'n', type: { kind: 'integer' } }],
          },
        },
      ],
      output: [col('id', 'string'), col('n', 'integer')],
      outputPath: join(dir, 'out.parquet'),
    });
    expect(e.kind).toBe('InvalidArgument');
    expect(e.code).toBe('input_unreadable');
    expect(e.message).toContain('input "in"');
    expect(e.message).toMatch(/'x'/);
  });

  it('a missing input file fails before the logic runs', async () => {
    const dir = workDir();
    const e = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT 1 AS a' },
      inputs: [{ id: 'gone', source: { kind: 'file', paths: [join(dir, 'nope.csv')], format: 'csv' } }],
      output: [col('a', 'integer')],
      outputPath: join(dir, 'out.parquet'),
    });
    expect(e.code).toBe('input_unreadable');
    expect(e.message).toContain('nope.csv');
  });

  it('checks NOT NULL and primary keys on the written file, with counts and samples', async () => {
    const dir = workDir();
    const nul = await failure({
      logic: {
        kind: 'sql',
        file: 'f.sql',
        sql: 'SELECT range AS k, CASE WHEN range % 3 = 0 THEN NULL ELSE 1 END AS v FROM range(90)',
      },
      inputs: [],
      output: [col('k', 'integer', { primaryKey: true }), col('v', 'integer', { nullable: false })],
      outputPath: join(dir, 'a.parquet'),
    });
    expect(nul.code).toBe('not_null_violation');
    expect(nul.details?.['rowCount']).toBe(30);
    expect(nul.details?.['columns']).toEqual(['v']);
    expect((nul.details?.['sampleRows'] as unknown[]).length).toBe(20);
    // A nested column has no null statistics of its own: it is read back instead.
    const nested = await failure({
      logic: {
        kind: 'sql',
        file: 'f.sql',
        sql: 'SELECT range AS k, CASE WHEN range = 7 THEN NULL ELSE [range] END AS tags FROM range(10)',
      },
      inputs: [],
      output: [col('k', 'integer'), col('tags', 'array(integer)', { nullable: false })],
      outputPath: join(dir, 'b.parquet'),
    });
    expect(nested.code).toBe('not_null_violation');
    expect(nested.details?.['sampleRows']).toEqual([{ k: '7', tags: null }]);
    const dup = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT range % 4 AS k, range AS v FROM range(10)' },
      inputs: [],
      output: [col('k', 'integer', { primaryKey: true }), col('v', 'integer')],
      outputPath: join(dir, 'c.parquet'),
    });
    expect(dup.code).toBe('primary_key_duplicate');
    expect(dup.details?.['duplicateKeys']).toBe(4);
    expect(dup.details?.['sampleRows']).toEqual([
      { k: '0', occurrences: '3' },
      { k: '1', occurrences: '3' },
      { k: '2', occurrences: '2' },
      { k: '3', occurrences: '2' },
    ]);
    const fine = await engine.run({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT range AS k, [range] AS tags FROM range(10)' },
      inputs: [],
      output: [col('k', 'integer', { primaryKey: true }), col('tags', 'array(integer)', { nullable: false })],
      outputPath: join(dir, 'd.parquet'),
    });
    expect(fine.rowCount).toBe(10);
  });

  it('a value that does not cast to output.yaml points at its expression, with the value', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'in.csv'), 'id,qty\nA,1\nB,two\n');
    const sql = 'SELECT\n  id,\n  qty\nFROM "in"';
    const e = await failure({
      logic: {
        kind: 'sql',
        file: 'p/logic/transform.sql',
        sql,
        outputSpans: [
          { name: 'id', start: 9, end: 11 },
          { name: 'qty', start: sql.indexOf('qty'), end: sql.indexOf('qty') + 3 },
        ],
      },
      inputs: [{ id: 'in', source: { kind: 'file', path: join(dir, 'in.csv'), format: 'csv' } }],
      output: [col('id', 'string'), col('qty', 'integer')],
      outputPath: join(dir, 'out.parquet'),
    });
    expect(e.code).toBe('cast_failed');
    expect(e.message).toContain('p/logic/transform.sql:3:3');
    expect(e.details?.['value']).toBe('two');
  });

  it('reads a single CSV as DuckDB sniffs it (quotes, delimiters, types), pinned once', async () => {
    const dir = workDir();
    const path = join(dir, 'in.csv');
    writeFileSync(path, 'id;name;ts\n1;"Doe; John";2026-03-02T09:00:00+03:00\n2;"say ""hi""";2026-03-02 07:00:00\n');
    const result = await engine.run({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT id, name, ts FROM "in" ORDER BY id' },
      inputs: [{ id: 'in', source: { kind: 'file', path, format: 'csv' } }],
      output: [col('id', 'integer'), col('name', 'string'), col('ts', 'timestamp')],
      outputPath: join(dir, 'out.parquet'),
      collectRows: true,
    });
    expect(result.rows).toEqual([
      ['1', 'Doe; John', '2026-03-02 06:00:00'],
      ['2', 'say "hi"', '2026-03-02 07:00:00'],
    ]);
  });

  it('casts TIMESTAMPTZ results to timestamp as the UTC wall clock, infinities and NULLs included', async () => {
    const sql = `SELECT * FROM (VALUES
      (1, TIMESTAMPTZ '2026-03-02 09:12:40.5+03:00', '2026-03-02T09:12:40+03:00'),
      (2, TIMESTAMPTZ '1900-01-01 00:00:00+05:30', '1900-01-01 00:00:00'),
      (3, TIMESTAMPTZ 'infinity', 'infinity'),
      (4, NULL, NULL)) AS t(k, tz, txt) ORDER BY k`;
    const result = await engine.run({
      logic: { kind: 'sql', file: 'f.sql', sql },
      inputs: [],
      output: [col('k', 'integer'), col('tz', 'timestamp'), col('txt', 'timestamp')],
      outputPath: join(workDir(), 'out.parquet'),
      collectRows: true,
    });
    expect(result.rows).toEqual([
      ['1', '2026-03-02 06:12:40.5', '2026-03-02 06:12:40'],
      ['2', '1899-12-31 18:30:00', '1900-01-01 00:00:00'],
      ['3', 'infinity', 'infinity'],
      ['4', null, null],
    ]);
  });

  it('shapes a table result (what Python wrote) in the same pass, and names a value that does not cast', async () => {
    const dir = workDir();
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(rows, '{"k":"1","n":"2"}\n{"k":"2","n":"x"}\n');
    const e = await failure({
      logic: { kind: 'table', source: { kind: 'file', path: rows, format: 'json' }, file: 'p/logic/transform.py' },
      inputs: [],
      output: [col('k', 'integer'), col('n', 'integer')],
      outputPath: join(dir, 'out.parquet'),
    });
    expect(e.code).toBe('cast_failed');
    expect(e.message).toContain('p/logic/transform.py');
    expect(e.details).toMatchObject({ column: 'n', value: 'x' });
    writeFileSync(rows, '{"k":"1","n":"2"}\n{"k":"2","n":"3"}\n');
    const ok = await engine.run({
      logic: { kind: 'table', source: { kind: 'file', path: rows, format: 'json' } },
      inputs: [],
      output: [col('k', 'integer', { primaryKey: true }), col('n', 'integer')],
      outputPath: join(dir, 'out.parquet'),
      collectRows: true,
    });
    expect(ok.rows).toEqual([
      ['1', '2'],
      ['2', '3'],
    ]);
  });

  it('cancels the one-pass statement on timeout, reported as a timeout', async () => {
    const dir = workDir();
    const e = await failure({
      logic: { kind: 'sql', file: 'f.sql', sql: 'SELECT COUNT(*) AS n FROM range(100000000000)' },
      inputs: [],
      output: [col('n', 'integer')],
      outputPath: join(dir, 'out.parquet'),
      limits: { timeoutMs: 300, threads: 1 },
    });
    expect(e.kind).toBe('Cancelled');
    expect(e.code).toBe('timeout');
  });
});
