import { defineRule } from '../../rule.js';
import { insertAfterFix, inputList, isObject, str, valueOf } from '../../product-unit.js';

export const inp003RequiredSkip = defineRule({
  code: 'INP-003',
  scope: 'product',
  severity: 'warning',
  family: 'inputs',
  tier: 'full',
  title: 'A required input does not fall back to skip',
  explain: {
    why: 'fallback decides what happens when an input has not published by its timeout: fail stops the run, use_cached runs on the input’s last committed snapshot, skip runs without it — the logic reads an empty table. For a required input (optional is false, the default) skip publishes a snapshot computed from missing data: an INNER JOIN yields no rows, sums drop to zero, and the partial result usually passes the quality gates and replaces good data downstream. That breaks the platform promise of "stale but correct, never fresh but wrong". The akili documentation shows skip on a required input in one example, so this is a warning, not an error: when the run really can do without the input (an enrichment, a LEFT JOIN that tolerates an empty side), say so with `optional: true`; otherwise use use_cached or fail. The fallback may be set on the input or inherited from defaults.fallback.',
    bad: 'inputs:\n  - id: customers\n    type: data_product\n    fallback: skip          # required input: the run proceeds on an empty table',
    good: 'inputs:\n  - id: customers\n    type: data_product\n    fallback: use_cached    # proceed on the last good snapshot\n  - id: store-weather\n    type: data_product\n    optional: true          # enrichment: may be missing\n    fallback: skip',
  },
  check(ctx) {
    const defaults = valueOf(ctx.unit, 'Inputs')?.['defaults'];
    const defaultFallback = isObject(defaults) ? str(defaults['fallback']) : undefined;
    for (const input of inputList(ctx.unit)) {
      if (input.raw['optional'] === true) continue;
      const own = input.raw['fallback'];
      const inherited = own === undefined;
      const fallback = inherited ? defaultFallback : str(own);
      if (fallback !== 'skip') continue;
      const base = `/inputs/${input.index}`;
      const hint = `Use \`fallback: use_cached\` (run on the last good snapshot of '${input.id}') or \`fallback: fail\`; if the logic really tolerates an empty '${input.id}', mark the input \`optional: true\`.`;
      if (inherited) {
        const fix = insertAfterFix(
          ctx.unit,
          'Inputs',
          `${base}/id`,
          'fallback: use_cached',
          `Set fallback of '${input.id}' to use_cached`,
        );
        ctx.report(
          { kind: 'Inputs', path: `${base}/id` },
          `required input '${input.id}' falls back to skip (inherited from defaults.fallback): a late '${input.id}' runs the logic on an empty table`,
          { hint, ...(fix ? { fix } : {}) },
        );
      } else {
        const fix = ctx.replaceFix(
          'Inputs',
          `${base}/fallback`,
          'use_cached',
          `Set fallback of '${input.id}' to use_cached`,
        );
        ctx.report(
          { kind: 'Inputs', path: `${base}/fallback` },
          `required input '${input.id}' has fallback 'skip': a late '${input.id}' runs the logic on an empty table`,
          { hint, ...(fix ? { fix } : {}) },
        );
      }
    }
  },
});
