import { describe, expect, it } from 'vitest';
import { checkSql, substituteOutput } from './check-sql.js';

const ctx = { output: '"output"', reference: (p: string) => `"reference:${p}"` };

describe('checkSql', () => {
  it('generates one query per built-in type, each returning measured and passed', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['completeness', { column: 'a', threshold: 0.99 }],
      ['freshness', { column: 'ts', max_age: '2d' }],
      ['volume', { min_rows: 1, max_rows: 10 }],
      ['uniqueness', { columns: ['a', 'b'] }],
      ['range', { column: 'n', min: 0, max: 5 }],
      ['accepted_values', { column: 's', values: ['x', "it's", 3, true] }],
      ['referential', { column: 'a', reference_product: 'outlets', reference_column: 'id' }],
      ['custom_expression', { expression: 'a < b', threshold: 1 }],
      ['regex', { column: 's', pattern: "^[A-Z]'$" }],
    ];
    for (const [type, config] of cases) {
      const sql = checkSql(type, config, ctx)?.sql ?? '';
      expect(sql, type).toMatch(/measured/);
      expect(sql, type).toMatch(/passed/);
    }
    expect(checkSql('freshness', { column: 'ts', max_age: '2d' }, ctx)?.sql).toContain('<= 172800');
    expect(checkSql('accepted_values', { column: 's', values: ['x', "it's", 3, true] }, ctx)?.sql).toContain(
      `NOT IN ('x', 'it''s', 3, TRUE)`,
    );
    expect(
      checkSql('referential', { column: 'a', reference_product: 'outlets', reference_column: 'id' }, ctx)?.sql,
    ).toContain('FROM "reference:outlets" AS r WHERE r."id" = o."a"');
    expect(checkSql('custom_python', {}, ctx)).toBeUndefined();
  });

  it('substitutes {output} in custom SQL', () => {
    expect(checkSql('custom_sql', {}, ctx, 'SELECT COUNT(*) AS failures FROM {output} JOIN { output } x')?.sql).toBe(
      'SELECT COUNT(*) AS failures FROM "output" JOIN "output" x',
    );
    expect(substituteOutput('{output}', 't')).toBe('t');
  });
});
