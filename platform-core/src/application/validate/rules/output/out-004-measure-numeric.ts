import { defineRule } from '../../rule.js';
import { formatColumnType, isNumericType } from '../../../../domain/column-type.js';
import { outputColumns } from '../../product-unit.js';

export const out004MeasureNumeric = defineRule({
  code: 'OUT-004',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Measure columns are numeric',
  explain: {
    why: 'role: measure declares a numeric fact that consumers aggregate (sum, average); dashboards and time-series roll-ups aggregate measures automatically. A measure must be integer, float or decimal(p,s); a text or date column cannot be summed. Use role: attribute for descriptive columns, or cast the value to a number in the logic.',
    bad: 'schema:\n  - name: revenue\n    type: string\n    role: measure',
    good: 'schema:\n  - name: revenue\n    type: decimal(18,2)\n    role: measure\n  - name: currency\n    type: string      # role: attribute (the default)',
  },
  check(ctx) {
    for (const column of outputColumns(ctx.unit)) {
      if (column.role !== 'measure' || column.type === undefined || isNumericType(column.type)) continue;
      const type = formatColumnType(column.type);
      ctx.report(
        { kind: 'Output', path: `/schema/${column.index}/role` },
        `measure column '${column.name}' has the non-numeric type '${type}'`,
        {
          hint: `Give '${column.name}' a numeric type (integer, float or decimal(p,s)) and cast it in the logic, or change its role to attribute if it is not a quantity to aggregate.`,
        },
      );
    }
  },
});
