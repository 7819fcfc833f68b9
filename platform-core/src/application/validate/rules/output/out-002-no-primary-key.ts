import { defineRule } from '../../rule.js';
import type { Fix } from '../../../../domain/finding.js';
import { indexed, insertAfterFix, outputColumns, valueOf } from '../../product-unit.js';

export const out002NoPrimaryKey = defineRule({
  code: 'OUT-002',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'The schema has a primary key',
  explain: {
    why: 'The primary key says what one row is. The lookup store upserts by it, realtime keys are built from it, snapshot diffs and uniqueness checks rely on it, and consumers need it to join without duplicating rows. Every output schema needs at least one column with `primary_key: true` (several columns form a composite key).',
    bad: 'schema:\n  - name: order_id\n    type: integer\n    role: identity\n  - name: amount\n    type: decimal(12,2)',
    good: 'schema:\n  - name: order_id\n    type: integer\n    primary_key: true\n    role: identity\n  - name: amount\n    type: decimal(12,2)',
  },
  check(ctx) {
    const schema = valueOf(ctx.unit, 'Output')?.['schema'];
    const entries = indexed(schema);
    if (entries.length === 0) return;
    if (entries.some((e) => e.raw['primary_key'] === true)) return;
    // A primary_key that is not a boolean is a type error (SCH-002): the intent is unclear, don't pile on.
    if (entries.some((e) => e.raw['primary_key'] !== undefined && typeof e.raw['primary_key'] !== 'boolean')) return;
    const identities = outputColumns(ctx.unit).filter((c) => c.role === 'identity');
    const only = identities.length === 1 ? identities[0] : undefined;
    let fix: Fix | undefined;
    if (only) {
      const title = `Mark '${only.name}' as the primary key`;
      fix =
        only.raw['primary_key'] === false
          ? ctx.replaceFix('Output', `/schema/${only.index}/primary_key`, 'true', title)
          : insertAfterFix(ctx.unit, 'Output', `/schema/${only.index}/name`, 'primary_key: true', title);
    }
    const candidates = identities.length > 0 ? identities.map((c) => `'${c.name}'`).join(', ') : undefined;
    ctx.report(
      { kind: 'Output', path: '/schema', part: 'key' },
      'the output schema has no primary key column (no column sets primary_key: true)',
      {
        hint: `Set \`primary_key: true\` on the column(s) that identify one row${candidates ? ` — usually the identity column ${candidates}` : ''}.`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
