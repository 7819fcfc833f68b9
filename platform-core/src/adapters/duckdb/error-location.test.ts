import { describe, expect, it } from 'vitest';
import {
  engineLocation,
  expressionLocation,
  lineColumnAt,
  mentionedColumns,
  offendingValue,
} from './error-location.js';

describe('error-location', () => {
  it("maps DuckDB's LINE/caret excerpt to the user's line and column, also inside a truncated line", () => {
    const line =
      '  ' +
      Array.from({ length: 30 }, (_, i) => `${i} AS c${i}_xxxxx`).join(', ') +
      ', nope AS z, ' +
      Array.from({ length: 30 }, (_, i) => `${i} AS d${i}`).join(', ');
    const sql = `SELECT\n${line}\nFROM range(1)`;
    const message =
      'Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "range"\n\nLINE 3: ... c26_xxxxx, 27 AS c27_xxxxx, 28 AS c28_xxxxx, 29 AS c29_xxxxx, nope AS z, 0 AS d0, 1 AS d1, 2 AS d2, 3 AS d3, 4 AS d4,...\n                                                                          ^';
    expect(engineLocation(message, sql, 'f.sql', 1)).toEqual({
      file: 'f.sql',
      line: 2,
      column: line.indexOf('nope') + 1,
      source: 'engine',
    });
    expect(
      engineLocation('Binder Error: x\n\nLINE 1: SELECT nope\n               ^', 'SELECT nope', 'f.sql', 0),
    ).toMatchObject({ line: 1, column: 8 });
    expect(engineLocation('Conversion Error: no position', 'SELECT 1', 'f.sql', 0)).toBeUndefined();
  });

  it('falls back to the select expression computing the named column', () => {
    const sql = 'SELECT\n  a,\n  CAST(b AS INT) AS qty\nFROM t';
    const spans = [
      { name: 'a', start: 9, end: 10 },
      { name: 'qty', start: sql.indexOf('CAST'), end: sql.indexOf(' AS qty') },
    ];
    expect(expressionLocation(sql, 'f.sql', spans, ['qty'])).toEqual({
      file: 'f.sql',
      line: 3,
      column: 3,
      source: 'expression',
    });
    expect(expressionLocation(sql, 'f.sql', spans, ['b'])).toMatchObject({ line: 3 });
    expect(mentionedColumns("Could not convert string 'x' to INT32 when casting from source column b")).toEqual(['b']);
    expect(offendingValue("Conversion Error: Could not convert string 'it''s' to INT32")).toBe("it's");
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
