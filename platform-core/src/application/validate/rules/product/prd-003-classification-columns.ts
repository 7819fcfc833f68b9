import { defineRule } from '../../rule.js';
import { classificationRank, type Classification } from '../../../../domain/classification.js';
import { outputColumns, productClassification, type ColumnView } from '../../product-unit.js';

export const prd003ClassificationColumns = defineRule({
  code: 'PRD-003',
  scope: 'product',
  severity: 'error',
  family: 'product',
  tier: 'full',
  title: 'The product is classified at least as high as its most sensitive column',
  explain: {
    why: 'Access to a product is granted on metadata.classification; column classifications drive masking at the serving boundary. A product classified below one of its own columns would let every reader of the product level reach that column (e.g. restricted PII in an internal product). The product level is a high-water mark: at least the highest column level.',
    bad: 'metadata:\n  classification: internal\n# output.yaml\nschema:\n  - name: customer_email\n    type: string\n    classification: restricted',
    good: 'metadata:\n  classification: restricted\n# or drop the column, or publish it from a separate restricted product',
  },
  check(ctx) {
    const level = productClassification(ctx.unit);
    if (level === undefined) return;
    let highest: { level: Classification; column: ColumnView } | undefined;
    for (const column of outputColumns(ctx.unit)) {
      const c = column.classification;
      if (c === undefined) continue;
      if (!highest || classificationRank(c) > classificationRank(highest.level)) highest = { level: c, column };
    }
    if (!highest || classificationRank(highest.level) <= classificationRank(level)) return;
    const path = '/metadata/classification';
    const fix = ctx.replaceFix('DataProduct', path, highest.level, `Raise classification to '${highest.level}'`);
    ctx.report(
      { kind: 'DataProduct', path },
      `product classification '${level}' is below column '${highest.column.name}', classified '${highest.level}' in output.yaml`,
      {
        hint: `Raise metadata.classification to '${highest.level}', or lower the classification of '${highest.column.name}' (and of any other column above '${level}') if the data is not that sensitive.`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
