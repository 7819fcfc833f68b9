import { defineRule } from '../../rule.js';
import { excerpt, externalReads, logicTarget, sqlLogicOf } from './logic-support.js';

/** DuckDB-only syntax the PostgreSQL grammar stops at, recognised by the token it stops at, with the portable form. */
function duckdbOnly(token: string, before: string, after: string): string | undefined {
  const word = token.toUpperCase();
  const previous = /([A-Za-z_]+|\*)\s*$/.exec(before)?.[1]?.toUpperCase();
  if ((word === 'EXCLUDE' || word === 'REPLACE' || word === 'RENAME') && previous === '*')
    return `SELECT * ${word} is DuckDB-only: list the columns instead`;
  if (word === 'QUALIFY' || previous === 'QUALIFY')
    return 'QUALIFY is DuckDB-only: compute the window function in a CTE and filter it with WHERE';
  if (word === 'PIVOT' || word === 'UNPIVOT' || previous === 'PIVOT' || previous === 'UNPIVOT')
    return `${previous === 'PIVOT' || previous === 'UNPIVOT' ? previous : word} is DuckDB-only: use conditional aggregation (SUM(x) FILTER (WHERE …))`;
  if (word === '[') return 'list literals [a, b] are DuckDB-only: write array[a, b]';
  if (word === 'ALL' && previous === 'BY') return 'GROUP BY ALL / ORDER BY ALL is DuckDB-only: list the columns';
  if (word === 'FROM' && before.slice(before.lastIndexOf(';') + 1).trim() === '')
    return 'FROM-first queries are DuckDB-only: write SELECT … FROM …';
  if (word === 'USING' && /^\s*SAMPLE\b/i.test(after)) return 'USING SAMPLE is DuckDB-only: use TABLESAMPLE SYSTEM (n)';
  return undefined;
}

export const log001SqlSyntax = defineRule({
  code: 'LOG-001',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL logic parses',
  explain: {
    why: 'A SQL transform that does not parse cannot run, and nothing else about it can be checked: which inputs it reads, which columns it produces. The validator parses with the PostgreSQL grammar, which covers the SQL that DuckDB and Spark share; DuckDB-only syntax (SELECT * EXCLUDE, QUALIFY, GROUP BY ALL, FROM-first queries, list literals [..]) is reported here too — write the portable form.',
    bad: 'SELECT order_id, amount\nFORM "raw-orders"',
    good: 'SELECT order_id, amount\nFROM "raw-orders"',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    const error = logic?.analysis.error;
    if (!logic || !error) return;
    // A DuckDB statement (ATTACH, INSTALL …) or a file name in FROM: LOG-011 reports it.
    if (externalReads(logic).claimsError) return;
    const token = logic.text.slice(error.start, error.end).trim();
    const atEnd = /at end of input/.test(error.message);
    const duckdb = duckdbOnly(token, logic.text.slice(0, error.start), logic.text.slice(error.end));
    const where = token === '' ? 'the highlighted position' : `'${excerpt(token, 40)}'`;
    ctx.report(logicTarget(logic, error.start, error.end), `SQL syntax error in ${logic.path}: ${error.message}`, {
      hint:
        duckdb !== undefined
          ? `${duckdb}. The SQL is checked with the PostgreSQL grammar, the SQL that DuckDB and Spark share.`
          : `Check the SQL ${atEnd ? 'where it ends' : `at ${where}`} and just before it: a missing comma, parenthesis or quote, a misspelt keyword or a clause out of order. ` +
            'The SQL is checked with the PostgreSQL grammar (the SQL DuckDB and Spark share); input ids with hyphens are double-quoted ("raw-orders") or written with underscores (raw_orders).',
    });
  },
});
