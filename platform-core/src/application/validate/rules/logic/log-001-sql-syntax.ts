import { defineRule } from '../../rule.js';
import { excerpt, externalReads, logicTarget, sqlLogicOf } from './logic-support.js';

export const log001SqlSyntax = defineRule({
  code: 'LOG-001',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL logic parses',
  explain: {
    why: 'A SQL transform that does not parse cannot run, and nothing else about it can be checked: which inputs it reads, which columns it produces. The validator parses with DuckDB’s own parser, the one the engine runs the logic with: what DuckDB accepts (TRY_CAST, list literals and slices, SELECT * EXCLUDE, QUALIFY, GROUP BY ALL, PIVOT, FROM-first queries …) parses here, and an error is reported where DuckDB stops.',
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
    const where = token === '' ? 'the highlighted position' : `'${excerpt(token, 40)}'`;
    ctx.report(logicTarget(logic, error.start, error.end), `SQL syntax error in ${logic.path}: ${error.message}`, {
      hint:
        `Check the SQL ${atEnd ? 'where it ends' : `at ${where}`} and just before it: a missing comma, parenthesis or quote, a misspelt keyword or a clause out of order. ` +
        'The SQL is parsed by DuckDB, the engine that runs it; input ids with hyphens are double-quoted ("raw-orders") or written with underscores (raw_orders).',
    });
  },
});
