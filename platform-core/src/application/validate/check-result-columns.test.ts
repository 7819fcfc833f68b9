import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSqlAnalyzer } from '../../adapters/sql/duckdb/duckdb-sql-analyzer.js';
import { checkResultColumns } from './check-result-columns.js';

const analyzer = new DuckDbSqlAnalyzer();
beforeAll(() => analyzer.ready());

describe('checkResultColumns', () => {
  it('lists the final SELECT of the check with the type each column holds', () => {
    const result = checkResultColumns(
      "SELECT COUNT(*) - COUNT(DISTINCT customer_id) AS failures, MAX(name) AS top, 'x' AS label FROM {output}",
      analyzer,
      ['customer_id', 'name'],
    );
    expect(result).toEqual({
      columns: [
        { name: 'failures', type: 'number', sql: 'COUNT(*) - COUNT(DISTINCT customer_id)' },
        { name: 'top', type: 'unknown', sql: 'MAX(name)' },
        { name: 'label', type: 'string', sql: "'x'" },
      ],
    });
  });

  it('reads through CTEs, and reports unnamed columns', () => {
    const result = checkResultColumns(
      'WITH t AS (SELECT * FROM {output}) SELECT count(*), sum(n) AS total FROM t',
      analyzer,
      ['n'],
    );
    expect(result.columns?.map((c) => c.name)).toEqual(['total']);
    expect(result.unnamed).toEqual(['count(*)']);
  });

  it('expands * over the output columns', () => {
    expect(
      checkResultColumns('SELECT * FROM {output} LIMIT 1', analyzer, ['a', 'b']).columns?.map((c) => c.name),
    ).toEqual(['a', 'b']);
  });

  it('knows nothing when the SQL does not parse or is not one query', () => {
    expect(checkResultColumns('SELEC failures FROM {output}', analyzer, [])).toEqual({});
    expect(checkResultColumns('SELECT 1 AS a; SELECT 2 AS b', analyzer, [])).toEqual({});
    expect(checkResultColumns('SELECT * FROM other_table', analyzer, [])).toEqual({});
  });
});
