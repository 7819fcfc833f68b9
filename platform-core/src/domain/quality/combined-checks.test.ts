import { describe, expect, it } from 'vitest';
import { checkSql } from '../plan/check-sql.js';
import type { QualityCheckPlan } from '../plan/product-plan.js';
import { combinedMeasure, combinedSql } from './combined-checks.js';

const ctx = { output: '"output"', reference: (p: string) => `"reference:${p}"` };

function plan(type: string, config: Record<string, unknown>): QualityCheckPlan {
  return { name: type, type, severity: 'error', config, sql: checkSql(type, config, ctx)?.sql ?? '' };
}

const combinable: [string, Record<string, unknown>][] = [
  ['completeness', { column: 'a', threshold: 0.9 }],
  ['completeness', { column: 'a' }],
  ['custom_expression', { expression: 'qty > 0 AND "b" IS NOT NULL', threshold: 0.5 }],
  ['freshness', { column: 'at', max_age: '2h' }],
  ['volume', { min_rows: 1, max_rows: 10 }],
  ['volume', { max_rows: 10 }],
  ['volume', {}],
  ['range', { column: 'qty', min: 0, max: 'z' }],
  ['range', { column: 'qty' }],
  ['accepted_values', { column: 'status', values: ['open', 1, true] }],
  ['accepted_values', { column: 'status' }],
  ['regex', { column: 'code', pattern: "^it's$" }],
];

describe('combined built-in checks', () => {
  it.each(combinable)('%s %j: its pieces rebuild exactly the SQL the plan generator writes', (type, config) => {
    const measure = combinedMeasure(plan(type, config), '"output"');
    expect(measure?.standalone).toBe(checkSql(type, config, ctx)?.sql);
  });

  it('leaves out checks that are not one aggregate, and plans whose SQL differs from the generator', () => {
    for (const [type, config] of [
      ['uniqueness', { columns: ['a'] }],
      ['referential', { column: 'a', reference_product: 'p', reference_column: 'b' }],
      ['custom_sql', {}],
    ] as const)
      expect(combinedMeasure(plan(type, config), '"output"'), type).toBeUndefined();
    const edited = { ...plan('completeness', { column: 'a' }), sql: 'SELECT 0.5 AS measured, TRUE AS passed' };
    expect(combinedMeasure(edited, '"output"')).toBeUndefined();
  });

  it('measures every check in one SELECT, two columns each', () => {
    const measures = [combinable[0]!, combinable[2]!, combinable[7]!].map(([type, config]) =>
      combinedMeasure(plan(type, config), '"output"')!,
    );
    const sql = combinedSql(measures, '"output"');
    expect(sql.match(/FROM "output"/g)).toHaveLength(1);
    expect(sql).toContain('measured_1 >= 0.5 AS passed_1');
    expect(sql).toContain('measured_2 = 0 AS passed_2');
    expect(sql).toContain('COUNT(*) FILTER');
  });
});
