import { defineRule } from '../../rule.js';
import { lineOf, outputColumns } from '../../product-unit.js';

export const out001DuplicateColumn = defineRule({
  code: 'OUT-001',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Column names are unique',
  explain: {
    why: 'A column name is the contract consumers select, filter and join on; the table written to the lake, the serving stores and the quality checks all key columns by name. Two columns with one name cannot both exist in the table, and which declaration (type, role, classification) applies would be undefined.',
    bad: 'schema:\n  - name: amount\n    type: decimal(12,2)\n  - name: amount\n    type: decimal(12,2)\n    role: measure',
    good: 'schema:\n  - name: net_amount\n    type: decimal(12,2)\n    role: measure\n  - name: gross_amount\n    type: decimal(12,2)\n    role: measure',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const column of outputColumns(ctx.unit)) {
      const seen = first.get(column.name);
      if (seen === undefined) {
        first.set(column.name, column.index);
        continue;
      }
      const line = lineOf(ctx.unit, 'Output', `/schema/${seen}/name`);
      ctx.report(
        { kind: 'Output', path: `/schema/${column.index}/name` },
        `column '${column.name}' is declared twice (first at line ${line})`,
        {
          hint: `Remove one of the two '${column.name}' columns, or rename this one; every column name must be unique.`,
        },
      );
    }
  },
});
