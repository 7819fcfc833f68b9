import { productMetadata, productName } from '../../product-unit.js';
import { defineRule } from '../../rule.js';

export const sty002TagsContacts = defineRule({
  code: 'STY-002',
  scope: 'product',
  severity: 'warning',
  family: 'style',
  tier: 'strict',
  title: 'A product has tags and contacts',
  explain: {
    why: 'Tags are how people find a product in the catalog; contacts are the people to ask about it (the owner is a team, and a team is hard to ask a question). Both are optional in akili/v1, so strict mode asks for them before a product is published.',
    bad: 'metadata:\n  name: orders\n  owner: sales-analytics\n  classification: internal',
    good: 'metadata:\n  name: orders\n  owner: sales-analytics\n  classification: internal\n  tags: [orders, sales]\n  contacts:\n    - name: Jane Doe\n      role: product-owner\n      email: jane@example.com',
  },
  check(ctx) {
    const meta = productMetadata(ctx.unit);
    if (!meta) return;
    const name = productName(ctx.unit) ?? ctx.unit.folder;
    for (const [key, what, example] of [
      ['tags', 'tags', 'tags: [orders, sales]'],
      ['contacts', 'contacts', 'contacts:\n  - name: Jane Doe\n    role: product-owner\n    email: jane@example.com'],
    ] as const) {
      const value = meta[key];
      if (value !== undefined && value !== null && !Array.isArray(value)) continue; // SCH-002
      if (Array.isArray(value) && value.length > 0) continue;
      ctx.report(
        { kind: 'DataProduct', path: value === undefined ? '/metadata' : `/metadata/${key}`, part: 'key' },
        `product '${name}' has no ${what}`,
        {
          hint: `Add under metadata:\n${example}`,
        },
      );
    }
  },
});
