import { outputColumns } from '../../product-unit.js';
import { defineRule } from '../../rule.js';

export const sty001ColumnDescription = defineRule({
  code: 'STY-001',
  scope: 'product',
  severity: 'warning',
  family: 'style',
  tier: 'strict',
  title: 'Every output column has a description',
  explain: {
    why: 'The output schema is the contract consumers read in the catalog and the Portal. A column name alone rarely says the unit, the currency, whether it includes tax or how nulls are meant; a one-line description saves every consumer from reading the logic.',
    bad: 'schema:\n  - name: revenue\n    type: decimal(14,2)\n    role: measure',
    good: 'schema:\n  - name: revenue\n    type: decimal(14,2)\n    role: measure\n    description: Sum of order amounts in KES, including VAT, refunds excluded.',
  },
  check(ctx) {
    for (const column of outputColumns(ctx.unit)) {
      const description = column.raw['description'];
      if (typeof description === 'string' && description.trim() !== '') continue;
      if (description !== undefined && description !== null && typeof description !== 'string') continue; // SCH-002
      ctx.report(
        { kind: 'Output', path: `/schema/${column.index}/name` },
        `output column '${column.name}' has no description`,
        {
          hint: `Add \`description:\` to '${column.name}': what a value means, its unit and how nulls are meant.`,
        },
      );
    }
  },
});
