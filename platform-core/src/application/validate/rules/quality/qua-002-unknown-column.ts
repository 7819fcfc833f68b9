import { defineRule } from '../../rule.js';
import { checkList, outputColumnMap } from '../../product-unit.js';
import { columnReferences, reportUnknownColumns } from '../column-references.js';

/** Config keys that name output columns, per check type (keys of other types are SCH-007). */
const COLUMN_KEYS: Record<string, readonly string[]> = {
  completeness: ['column'],
  freshness: ['column'],
  range: ['column'],
  accepted_values: ['column'],
  regex: ['column'],
  referential: ['column'],
  uniqueness: ['columns'],
};

export const qua002UnknownColumn = defineRule({
  code: 'QUA-002',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'Checks name columns of output.yaml',
  explain: {
    why: 'Declarative checks are compiled into SQL over the output table. A column that is not in output.yaml makes the generated query fail after every run, and a blocking check that fails blocks promotion: the product never publishes. Usually it is a typo or a renamed column.',
    bad: '# output.yaml has order_id, amount\nchecks:\n  - name: amount_present\n    type: completeness\n    config: {column: ammount, threshold: 0.99}',
    good: 'checks:\n  - name: amount_present\n    type: completeness\n    config: {column: amount, threshold: 0.99}',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    if (columns.size === 0) return;
    for (const check of checkList(ctx.unit)) {
      const keys = check.type === undefined ? undefined : COLUMN_KEYS[check.type];
      if (!keys || !check.config) continue;
      for (const key of keys) {
        const refs = columnReferences(check.config[key], `/checks/${check.index}/config/${key}`);
        reportUnknownColumns(
          ctx,
          'Quality',
          refs,
          columns,
          (name) => `${check.type} check '${check.name ?? check.index + 1}' names column '${name}'`,
        );
      }
    }
  },
});
