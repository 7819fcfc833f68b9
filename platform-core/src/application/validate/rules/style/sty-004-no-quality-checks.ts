import { outputColumns, valueOf } from '../../product-unit.js';
import { defineRule } from '../../rule.js';

export const sty004NoQualityChecks = defineRule({
  code: 'STY-004',
  scope: 'product',
  severity: 'warning',
  family: 'style',
  tier: 'strict',
  title: 'quality.yaml declares at least one check',
  explain: {
    why: 'Quality checks are the gate between a run and the data consumers see ("no bad data served"). A product without any check promotes whatever its logic produced, including an empty or duplicated output. Start with the cheap ones: uniqueness of the primary key, completeness of key measures, a minimum volume.',
    bad: 'apiVersion: akili/v1\nkind: Quality\nchecks: []',
    good: 'apiVersion: akili/v1\nkind: Quality\nchecks:\n  - name: unique_orders\n    type: uniqueness\n    config: { columns: [order_id] }\n  - name: some_rows\n    type: volume\n    config: { min_rows: 1 }',
  },
  check(ctx) {
    const quality = valueOf(ctx.unit, 'Quality');
    if (!quality) return;
    const checks = quality['checks'];
    // A missing or mistyped `checks` is the schema pass's finding (SCH-001 / SCH-002).
    if (!Array.isArray(checks) || checks.length > 0) return;
    const keys = outputColumns(ctx.unit)
      .filter((c) => c.primaryKey)
      .map((c) => c.name);
    ctx.report(
      { kind: 'Quality', path: '/checks', part: 'key' },
      'quality.yaml declares no checks: every run is promoted unchecked',
      {
        hint: `Add at least a uniqueness check on the primary key, e.g.\nchecks:\n  - name: unique_keys\n    type: uniqueness\n    config: { columns: [${keys.length > 0 ? keys.join(', ') : '<primary key columns>'}] }`,
      },
    );
  },
});
