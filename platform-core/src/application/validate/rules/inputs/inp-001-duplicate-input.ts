import { defineRule } from '../../rule.js';
import { inputList, lineOf } from '../../product-unit.js';

export const inp001DuplicateInput = defineRule({
  code: 'INP-001',
  scope: 'product',
  severity: 'error',
  family: 'inputs',
  tier: 'full',
  title: 'Input ids are unique within inputs.yaml',
  explain: {
    why: 'An input id is the name of the table the logic reads and the key of the run correlation (one data.available per input and window). Two inputs with the same id make the table ambiguous, and their settings (version, timeout, fallback) conflict: which one applies is undefined.',
    bad: 'inputs:\n  - id: orders\n    type: data_product\n    version: ">=1.0.0"\n  - id: orders\n    type: data_product\n    fallback: skip',
    good: 'inputs:\n  - id: orders\n    type: data_product\n    version: ">=1.0.0"\n    fallback: use_cached',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const input of inputList(ctx.unit)) {
      const seen = first.get(input.id);
      if (seen === undefined) {
        first.set(input.id, input.index);
        continue;
      }
      const line = lineOf(ctx.unit, 'Inputs', `/inputs/${seen}/id`);
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/id` },
        `input id '${input.id}' is declared twice (first at line ${line})`,
        {
          hint: `Merge the two declarations of '${input.id}' into one (keep the settings you want), or give this input a different id.`,
        },
      );
    }
  },
});
