import { describe, expect, it } from 'vitest';
import { jsonText, typedValue, valueKindOf } from './typed-json.js';

describe('the JSON rule', () => {
  it('integers: numbers up to 2^53 − 1, strings beyond', () => {
    expect(typedValue('42', 'integer')).toBe(42);
    expect(typedValue(9007199254740991n, 'integer')).toBe(9007199254740991);
    expect(typedValue('9007199254740992', 'integer')).toBe('9007199254740992');
    expect(typedValue('-9007199254740993', 'integer')).toBe('-9007199254740993');
  });

  it('decimals exact as strings, floats as numbers, dates and timestamps ISO 8601, booleans, null', () => {
    expect(typedValue('10.50', 'decimal')).toBe('10.50');
    expect(typedValue(0.1, 'decimal')).toBe('0.1');
    expect(typedValue('0.25', 'float')).toBe(0.25);
    expect(typedValue('NaN', 'float')).toBe('NaN');
    expect(typedValue('2026-01-05', 'date')).toBe('2026-01-05');
    expect(typedValue('2026-01-05 10:30:00', 'timestamp')).toBe('2026-01-05T10:30:00');
    expect(typedValue('2026-01-05 10:30:00+00', 'timestamp')).toBe('2026-01-05T10:30:00+00:00');
    expect(typedValue(new Date('2026-01-05T10:30:00Z'), 'timestamp')).toBe('2026-01-05T10:30:00.000Z');
    expect(typedValue('t', 'boolean')).toBe(true);
    expect(typedValue(null, 'integer')).toBeNull();
    expect(typedValue('***MASKED***', 'integer')).toBe('***MASKED***');
  });

  it('reads engine and PostgreSQL type names', () => {
    expect(
      [
        'BIGINT',
        'HUGEINT',
        'int4',
        'DECIMAL(12,2)',
        'numeric',
        'DOUBLE',
        'DATE',
        'TIMESTAMP WITH TIME ZONE',
        'BOOLEAN',
        'VARCHAR',
      ].map(valueKindOf),
    ).toEqual([
      'integer',
      'integer',
      'integer',
      'decimal',
      'decimal',
      'float',
      'date',
      'timestamp',
      'boolean',
      'other',
    ]);
  });

  it('jsonText writes bigints by the rule and never throws on them', () => {
    expect(JSON.parse(jsonText({ a: 5n, b: 2n ** 60n }))).toEqual({ a: 5, b: '1152921504606846976' });
  });
});
