import type { Fix } from '../../../../domain/finding.js';
import type { SqlOutputColumn } from '../../../../ports/sql-analyzer.js';
import { outputColumns } from '../../product-unit.js';
import { defineRule } from '../../rule.js';

const STAR = /(^|\.)\s*\*$/;
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export const sty005SelectStar = defineRule({
  code: 'STY-005',
  scope: 'product',
  severity: 'warning',
  family: 'style',
  tier: 'strict',
  title: 'The final SELECT names its columns',
  explain: {
    why: 'The output schema is a contract; SELECT * ties it to whatever the inputs happen to contain. When an upstream product adds, drops or reorders a column, the output changes with it, silently or at run time. Naming the columns keeps the output stable and makes the lineage readable. (SELECT * inside a CTE is fine: only the final SELECT is the output.) When the input columns are known, the fix expands the star to exactly the columns it reads today.',
    bad: 'SELECT *\nFROM orders',
    good: 'SELECT order_id, customer_id, amount, ordered_at\nFROM orders',
  },
  check(ctx) {
    const logic = ctx.sqlLogic();
    if (!logic || logic.analysis.error) return;
    // An expanded star yields one output column per input column, all with the star's span.
    const stars = new Map<string, SqlOutputColumn[]>();
    for (const column of logic.analysis.outputColumns) {
      if (!column.star && !STAR.test(column.expression.trim())) continue;
      const key = `${column.start}:${column.end}`;
      const list = stars.get(key);
      if (list) list.push(column);
      else stars.set(key, [column]);
    }
    if (stars.size === 0) return;
    const declared = outputColumns(ctx.unit).map((c) => c.name);
    for (const group of stars.values()) {
      const first = group[0]!;
      const expression = first.expression.trim() || '*';
      const range = logic.lines.range(first.start, first.end);
      let fix: Fix | undefined;
      const names = group.map((c) => c.name);
      // Duplicate names (a.id and b.id from SELECT * over a join) would be ambiguous unqualified: no fix.
      if (
        group.every((c) => !c.star) &&
        names.every((n): n is string => n !== null) &&
        new Set(names).size === names.length
      ) {
        const qualifier = expression.slice(0, expression.lastIndexOf('*'));
        const text = names.map((n) => `${qualifier}${quoteIdentifier(n)}`).join(', ');
        fix = {
          title: `Expand ${expression} to ${names.length} column${names.length === 1 ? '' : 's'}`,
          edits: [{ file: logic.file, range, newText: text }],
        };
      }
      const example = declared.length > 0 ? declared.join(', ') : 'the output.yaml columns';
      ctx.report(
        { file: logic.file, range },
        `the final SELECT of ${logic.path} uses ${expression}: the output columns follow whatever the inputs contain`,
        {
          hint: `Name the columns instead of ${expression}, in output.yaml order: SELECT ${example} …`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
