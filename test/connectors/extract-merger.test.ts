import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbExtractMerger } from '../../platform-core/src/adapters/connectors/shared/duckdb-extract-merger.js';
import { openDuck } from '../../platform-core/src/adapters/connectors/shared/extract-writer.js';
import { readExtract, signal } from './support/read-extract.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'hekima-merge-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Writes a Parquet file from a SELECT (DuckDB). */
async function parquet(name: string, select: string): Promise<string> {
  const path = join(work, name);
  const duck = await openDuck();
  try {
    await duck.connection.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    duck.close();
  }
  return path;
}

async function typesOf(path: string): Promise<Record<string, string>> {
  const duck = await openDuck();
  try {
    const r = await duck.connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    return Object.fromEntries(
      r.getRowObjectsJson().map((row) => [String(row['column_name']), String(row['column_type'])]),
    );
  } finally {
    duck.close();
  }
}

describe('DuckDB extract merger', () => {
  const merger = new DuckDbExtractMerger();

  it('upserts in one pass, the last row per key winning, and reports the rows written', async () => {
    const previous = await parquet('prev.parquet', `SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, v)`);
    const extract = await parquet('ext.parquet', `SELECT * FROM (VALUES (2, 'x'), (3, 'c'), (2, 'y')) t(id, v)`);
    const out = join(work, 'out.parquet');
    const { rowCount } = await merger.merge({
      previous,
      extract: { file: extract, mode: 'upsert', primaryKey: ['id'] },
      out,
      signal: signal(),
    });
    expect(rowCount).toBe(3);
    expect(await readExtract(out, 'id')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'y' },
      { id: 3, v: 'c' },
    ]);
  });

  it('a column seen only as NULLs in the extract (JSON-typed) keeps the previous type', async () => {
    const previous = await parquet('prev.parquet', `SELECT 1 AS id, 'C-1' AS customer_id`);
    const lines = join(work, 'new.jsonl');
    await writeFile(lines, '{"id": 2, "customer_id": null}\n');
    const extract = await parquet('ext.parquet', `SELECT * FROM read_json('${lines}', format = 'newline_delimited')`);
    expect((await typesOf(extract))['customer_id']).toBe('JSON');
    const out = join(work, 'out.parquet');
    await merger.merge({ previous, extract: { file: extract, mode: 'append', primaryKey: [] }, out, signal: signal() });
    expect((await typesOf(out))['customer_id']).toBe('VARCHAR');
    const rows = await readExtract(out, 'id');
    expect(rows.map((r) => [String(r['id']), r['customer_id']])).toEqual([
      ['1', 'C-1'],
      ['2', null],
    ]);
  });

  it('drops the placeholder column of a first extract that knew no columns', async () => {
    const previous = await parquet('prev.parquet', `SELECT NULL::VARCHAR AS __hekima_empty LIMIT 0`);
    const extract = await parquet('ext.parquet', `SELECT 1 AS id`);
    const out = join(work, 'out.parquet');
    await merger.merge({ previous, extract: { file: extract, mode: 'append', primaryKey: [] }, out, signal: signal() });
    expect(await typesOf(out)).toEqual({ id: 'INTEGER' });
  });
});
