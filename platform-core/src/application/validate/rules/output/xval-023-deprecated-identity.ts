import { defineRule } from '../../rule.js';
import { outputColumns } from '../../product-unit.js';

export const xval023DeprecatedIdentity = defineRule({
  code: 'XVAL-023',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Identity columns are never deprecated',
  explain: {
    why: 'Identity columns are the natural key of a product and are immutable across versions: consumers join on them. Deprecating one announces a change that can never happen; a new identity means a new product.',
    bad: 'schema:\n  - name: outlet_id\n    type: uuid\n    role: identity\n    deprecated: true',
    good: 'schema:\n  - name: outlet_id\n    type: uuid\n    role: identity\n  - name: legacy_code\n    type: string\n    deprecated: true\n    deprecated_message: use outlet_id',
  },
  check(ctx) {
    for (const column of outputColumns(ctx.unit)) {
      if (column.role !== 'identity' || !column.deprecated) continue;
      ctx.report(
        { kind: 'Output', path: `/schema/${column.index}/deprecated` },
        `identity column '${column.name}' is marked deprecated; identity columns can never be deprecated`,
        {
          hint: `Remove \`deprecated: true\` from '${column.name}'. To replace the key, publish a new product with the new identity.`,
        },
      );
    }
  },
});
