import { defineRule } from '../../rule.js';
import { checkList, lineOf } from '../../product-unit.js';

export const qua001DuplicateCheck = defineRule({
  code: 'QUA-001',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'Check names are unique',
  explain: {
    why: 'Each check becomes an asset check named after it; results, the quality score history, alerts and `quality.check.failed` events are all keyed by the name. Two checks with one name overwrite each other’s results, so one of them is effectively never reported.',
    bad: 'checks:\n  - name: amount_present\n    type: completeness\n    config: {column: amount}\n  - name: amount_present\n    type: range\n    config: {column: amount, min: 0}',
    good: 'checks:\n  - name: amount_present\n    type: completeness\n    config: {column: amount}\n  - name: amount_not_negative\n    type: range\n    config: {column: amount, min: 0}',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const check of checkList(ctx.unit)) {
      if (check.name === undefined) continue;
      const seen = first.get(check.name);
      if (seen === undefined) {
        first.set(check.name, check.index);
        continue;
      }
      const line = lineOf(ctx.unit, 'Quality', `/checks/${seen}/name`);
      ctx.report(
        { kind: 'Quality', path: `/checks/${check.index}/name` },
        `check name '${check.name}' is used twice (first at line ${line})`,
        {
          hint: `Rename one of the '${check.name}' checks so that it says what it protects (e.g. '${check.name}_${check.type ?? 'check'}').`,
        },
      );
    }
  },
});
