import { defineRule } from '../../rule.js';
import { outputColumns, removeEntryFix } from '../../product-unit.js';

export const out005NullableKey = defineRule({
  code: 'OUT-005',
  scope: 'product',
  severity: 'warning',
  family: 'output',
  tier: 'full',
  title: 'Primary key columns are not declared nullable',
  explain: {
    why: 'Primary key columns are implicitly NOT NULL: a row without its key cannot be upserted, looked up or deduplicated. `nullable: true` on a key column contradicts that; the platform keeps the key NOT NULL, so the declaration misleads readers and consumers who generate code from the contract.',
    bad: 'schema:\n  - name: order_id\n    type: integer\n    primary_key: true\n    nullable: true',
    good: 'schema:\n  - name: order_id\n    type: integer\n    primary_key: true     # implicitly not null',
  },
  check(ctx) {
    for (const column of outputColumns(ctx.unit)) {
      if (column.raw['primary_key'] !== true || column.raw['nullable'] !== true) continue;
      const path = `/schema/${column.index}/nullable`;
      const fix =
        removeEntryFix(ctx.unit, 'Output', path, `Remove 'nullable: true' from '${column.name}'`) ??
        ctx.replaceFix('Output', path, 'false', `Set nullable of '${column.name}' to false`);
      ctx.report(
        { kind: 'Output', path },
        `primary key column '${column.name}' is declared nullable: true; key columns are never null`,
        {
          hint: `Remove \`nullable: true\` from '${column.name}' (primary key columns are implicitly NOT NULL), or take the column out of the primary key if it can really be missing.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
