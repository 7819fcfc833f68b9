import { defineRule } from '../../rule.js';
import type { Fix } from '../../../../domain/finding.js';
import { COLUMN_ROLES } from '../../../../domain/manifest/schemas/output.js';
import { indexed, insertAfterFix, outputColumns, valueOf } from '../../product-unit.js';

export const out003NoIdentity = defineRule({
  code: 'OUT-003',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'The schema has an identity column',
  explain: {
    why: 'Identity columns (role: identity) are the natural business key of the product — what consumers reference with event_key columns and join on across products. They are immutable across versions: they can never be removed, renamed or retyped, and a new identity means a new product. Every schema needs at least one, usually the primary key column.',
    bad: 'schema:\n  - name: customer_id\n    type: integer\n    primary_key: true\n  - name: name\n    type: string',
    good: 'schema:\n  - name: customer_id\n    type: integer\n    primary_key: true\n    role: identity\n  - name: name\n    type: string',
  },
  check(ctx) {
    const entries = indexed(valueOf(ctx.unit, 'Output')?.['schema']);
    if (entries.length === 0) return;
    if (entries.some((e) => e.raw['role'] === 'identity')) return;
    // A misspelt role (SCH-003, e.g. 'identiy') is probably the identity: the schema pass reports it.
    if (
      entries.some((e) => e.raw['role'] !== undefined && !(COLUMN_ROLES as readonly unknown[]).includes(e.raw['role']))
    )
      return;
    const keys = outputColumns(ctx.unit).filter((c) => c.primaryKey);
    const only = keys.length === 1 ? keys[0] : undefined;
    let fix: Fix | undefined;
    if (only) {
      const title = `Give '${only.name}' the role identity`;
      const role = only.raw['role'];
      if (role === undefined)
        fix = insertAfterFix(ctx.unit, 'Output', `/schema/${only.index}/name`, 'role: identity', title);
      else if (role === 'attribute') fix = ctx.replaceFix('Output', `/schema/${only.index}/role`, 'identity', title);
    }
    const candidates = keys.length > 0 ? keys.map((c) => `'${c.name}'`).join(', ') : undefined;
    ctx.report(
      { kind: 'Output', path: '/schema', part: 'key' },
      'the output schema has no identity column (no column has role: identity)',
      {
        hint: `Set \`role: identity\` on the natural key column(s)${candidates ? ` — usually the primary key ${candidates}` : ''}.`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
