import { defineRule } from '../../rule.js';
import { externalReads, logicTarget, sqlLogicOf } from './logic-support.js';

export const log001SqlSyntax = defineRule({
  code: 'LOG-001',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The SQL logic parses',
  explain: {
    why: 'A SQL transform that does not parse cannot run, and nothing else about it can be checked: which inputs it reads, which columns it produces. The validator parses with the PostgreSQL grammar, which covers the SQL that DuckDB and Spark share; DuckDB-only syntax (SELECT * EXCLUDE, FROM-first queries, QUALIFY, …) is reported here too — write the portable form.',
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
    ctx.report(logicTarget(logic, error.start, error.end), `SQL syntax error in ${logic.path}: ${error.message}`, {
      hint:
        `Check the SQL at ${token === '' ? 'the highlighted position' : `'${token.length > 40 ? token.slice(0, 39) + '…' : token}'`} and just before it: ` +
        'a missing comma, parenthesis or quote, a misspelt keyword, a clause out of order, or DuckDB-only syntax that the portable SQL grammar does not accept. ' +
        'Input ids with hyphens must be double-quoted ("raw-orders") or written with underscores (raw_orders).',
    });
  },
});
