import { defineRule } from '../../rule.js';
import { finalSelect, fromStar, logicTarget, sqlLogicOf } from './logic-support.js';

export const log008DuplicateOutputColumn = defineRule({
  code: 'LOG-008',
  scope: 'product',
  severity: 'error',
  family: 'logic',
  tier: 'full',
  title: 'The final SELECT names each column once',
  explain: {
    why: 'The output is matched to output.yaml by column name, and a table cannot hold two columns with the same name: DuckDB renames or rejects the second one, so one of them is lost or the write fails. Names compare case-insensitively. A * over a join often brings the join key twice; list the columns, or join with USING (key).',
    bad: 'SELECT o.*, c.customer_id, c.name\nFROM orders o\nJOIN customers c ON c.customer_id = o.customer_id',
    good: 'SELECT o.*, c.name\nFROM orders o\nJOIN customers c ON c.customer_id = o.customer_id',
  },
  check(ctx) {
    const logic = sqlLogicOf(ctx);
    if (!logic) return;
    const select = finalSelect(logic.analysis);
    if (!select) return;
    const first = new Map<string, (typeof select)[number]>();
    for (const column of select) {
      if (column.name === null || column.star) continue;
      const key = column.name.toLowerCase();
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, column);
        continue;
      }
      const where = logic.lines.position(earlier.start);
      const earlierText = fromStar(earlier) ? `from ${earlier.expression.trim()}` : 'also';
      ctx.report(
        logicTarget(logic, column.start, column.end),
        `column '${column.name}' appears more than once in the final SELECT (${earlierText} at line ${where.line}, column ${where.column})`,
        {
          hint:
            fromStar(column) || fromStar(earlier)
              ? `Each output column is produced once. List the columns instead of ${(fromStar(column) ? column : earlier).expression.trim()}, or join with USING (${column.name}) so the key appears once.`
              : `Each output column is produced once: drop one of them, or give one another name with AS.`,
        },
      );
    }
  },
});
