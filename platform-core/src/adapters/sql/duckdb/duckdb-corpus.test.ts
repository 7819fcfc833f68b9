import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, CORPUS_TABLES } from './duckdb-corpus.js';
import { DuckDbSqlAnalyzer } from './duckdb-sql-analyzer.js';

const analyzer = new DuckDbSqlAnalyzer();
let connection: DuckDBConnection;
const columnsOf = (table: string) => {
  const columns = CORPUS_TABLES[table];
  return columns === undefined ? undefined : Object.keys(columns);
};

beforeAll(async () => {
  await analyzer.ready();
  const instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  for (const [table, columns] of Object.entries(CORPUS_TABLES)) {
    const list = Object.entries(columns).map(([name, type]) => `"${name}" ${type}`);
    await connection.run(`CREATE TABLE "${table}" (${list.join(', ')})`);
  }
});
afterAll(() => {
  connection?.closeSync();
  analyzer.close();
});

describe('DuckDB-only SQL: the validator accepts what DuckDB runs', () => {
  it('has at least 60 statements', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  for (const entry of CORPUS) {
    it(`${entry.construct}: ${entry.sql.replace(/\s+/g, ' ')}`, async () => {
      const reader = await connection.runAndReadAll(entry.sql);
      const engineColumns = reader.columnNames();
      const analysis = analyzer.analyze(entry.sql, columnsOf);
      expect(analysis.error).toBeUndefined();
      expect(analysis.isQuery).toBe(true);
      for (const table of analysis.tables) expect(Object.keys(CORPUS_TABLES)).toContain(table.name);
      if (entry.columns === undefined) return;
      expect(engineColumns.map((c, i) => (entry.columns![i] === null ? null : c.toLowerCase()))).toEqual(
        entry.columns.map((c) => c?.toLowerCase() ?? null),
      );
      expect(analysis.usesStar).toBe(false);
      expect(analysis.outputColumns.map((c) => c.name?.toLowerCase() ?? null)).toEqual(
        entry.columns.map((c) => c?.toLowerCase() ?? null),
      );
    });
  }
});
