import { describe, expect, it } from 'vitest';
import { sqlResultType } from './sql-result-type.js';

describe('sqlResultType', () => {
  it('reads numbers from aggregates, arithmetic over numbers, numeric literals and casts', () => {
    for (const sql of [
      'COUNT(*)',
      'COUNT(*) - COUNT(DISTINCT customer_id)',
      'SUM(amount) / NULLIF(COUNT(*), 0)',
      'count(*) FILTER (WHERE amount < 0)',
      '-1.5e3',
      '(count(*) + 1) * 2',
      'CAST(x AS BIGINT)',
      'x::double',
      'coalesce(sum(amount), 0)',
      'row_number() OVER (PARTITION BY a ORDER BY b)',
    ]) {
      expect(sqlResultType(sql), sql).toBe('number');
    }
  });

  it('reads strings and booleans', () => {
    expect(sqlResultType("'ok'")).toBe('string');
    expect(sqlResultType("lower(status) || '!'")).toBe('string');
    expect(sqlResultType('x::varchar(10)')).toBe('string');
    expect(sqlResultType('COUNT(*) = 0')).toBe('boolean');
    expect(sqlResultType('amount IS NULL')).toBe('boolean');
    expect(sqlResultType("status IN ('a', 'b')")).toBe('boolean');
    expect(sqlResultType('bool_and(ok)')).toBe('boolean');
    expect(sqlResultType('TRUE')).toBe('boolean');
  });

  it('says unknown whenever it cannot be sure', () => {
    for (const sql of [
      'amount',
      't.amount',
      'max(placed_at) - min(placed_at)',
      "CASE WHEN a = b THEN 'x' ELSE 'y' END",
      'min(amount)',
      "DATE '2020-01-01'",
      'some_udf(x)',
      'amount + other',
      "'a' @@ 'b'",
    ]) {
      expect(sqlResultType(sql), sql).toBe('unknown');
    }
  });
});
