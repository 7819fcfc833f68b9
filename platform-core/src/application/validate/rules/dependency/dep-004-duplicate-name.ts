import { defineRule } from '../../rule.js';
import type { ProductSummary } from '../../workspace-index.js';

export const dep004DuplicateName = defineRule({
  code: 'DEP-004',
  scope: 'workspace',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'Product names are unique within a domain',
  explain: {
    why: 'A product is identified by its name within its tenant and domain: inputs, the registry, topics and serving tables all use it. Two products with the same name in one domain would overwrite each other, and inputs naming them could read either. (The same name in two different domains is allowed but makes input ids ambiguous, see DEP-007.)',
    bad: '# sales/orders/product.yaml      name: orders, domain: retail\n# legacy/orders-v2/product.yaml  name: orders, domain: retail',
    good: '# sales/orders/product.yaml      name: orders, domain: retail\n# legacy/orders-v2/product.yaml  name: legacy-orders, domain: retail',
  },
  check(ctx) {
    const groups = new Map<string, ProductSummary[]>();
    for (const summary of ctx.index.summaries) {
      if (summary.name === null || summary.domain === undefined) continue;
      const key = `${summary.domain}\u0000${summary.name}`;
      const list = groups.get(key);
      if (list) list.push(summary);
      else groups.set(key, [summary]);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      for (const summary of list) {
        const others = list.filter((o) => o !== summary).map((o) => `${o.unit.folder}/`);
        ctx.report(
          summary.unit,
          { kind: 'DataProduct', path: '/metadata/name' },
          `product name '${summary.name}' is also used in domain '${summary.domain}' by ${others.join(', ')}`,
          {
            hint: `Names are unique within a domain: rename this product or the one in ${others.join(', ')}, and update the inputs that read it.`,
          },
        );
      }
    }
  },
});
