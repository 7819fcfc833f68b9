import { defineRule } from '../../rule.js';
import { resolveInput } from './graph.js';

export const dep007AmbiguousInput = defineRule({
  code: 'DEP-007',
  scope: 'product',
  severity: 'warning',
  family: 'dependency',
  tier: 'full',
  title: 'An input id names products in several domains',
  explain: {
    why: "Product names are unique within a domain, not across domains, but an input id is a bare name. When products of that name exist in two domains, the id could mean either. Hekima reads the one in the reading product's own domain when there is exactly one (otherwise it cannot tell), which silently changes if products move. Give products tenant-wide unique names.",
    bad: '# retail/orders  (domain retail)  and  finance/orders  (domain finance)\ninputs:\n  - id: orders\n    type: data_product',
    good: '# retail/orders  and  finance/finance-orders\ninputs:\n  - id: orders\n    type: data_product',
  },
  check(ctx) {
    const reader = ctx.index.summaryOf(ctx.unit);
    if (!reader) return;
    for (const input of reader.upstream) {
      const resolution = resolveInput(ctx.index, reader, input.id);
      if (!resolution.ambiguous) continue;
      const where = resolution.candidates.map((c) => `${c.unit.folder}/ (domain ${c.domain ?? '?'})`).join(', ');
      const outcome = resolution.target
        ? `Hekima reads ${resolution.target.unit.folder}/${resolution.target.domain === reader.domain ? ", the one in this product's domain" : ''}`
        : 'Hekima cannot tell which one to read';
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/id` },
        `input '${input.id}' is ambiguous: products named '${input.id}' exist in ${where}; ${outcome}`,
        {
          hint: `Input ids name products without their domain. Rename one of the '${input.id}' products so the name is unique in the workspace, and update the inputs that read it.`,
        },
      );
    }
  },
});
