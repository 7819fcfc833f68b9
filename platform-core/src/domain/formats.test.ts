import { describe, expect, it } from 'vitest';
import { checkFormat, isIsoDate, isTimeZone } from './formats.js';

const cases: Record<string, { valid: string[]; invalid: string[] }> = {
  duration: { valid: ['30s', '4h', '90d', '0m'], invalid: ['4 h', '2hours', '1w', '500ms', '-1d', ''] },
  semver: { valid: ['1.0.0', '0.1.0', '2.3.4-rc.1', '1.0.0+build.5'], invalid: ['1.0', 'v1.0.0', '1.0.0.0', 'one'] },
  'semver-range': {
    valid: ['>=1.0.0', '^2.0.0', '~1.2.0', '1.x', 'latest', '>=1.0.0 <2.0.0'],
    invalid: ['>=>1', 'abc', 'newest'],
  },
  cron: {
    valid: ['0 6 * * *', '*/15 * * * 1-5', '0 0 1 1 *'],
    invalid: ['0 6 * *', '* * * * * *', '61 * * * *', 'daily'],
  },
  timezone: { valid: ['UTC', 'Europe/Berlin', 'Africa/Nairobi'], invalid: ['Mars/Base', 'GMT+25', ''] },
  quantity: { valid: ['500m', '2', '1Gi', '512Mi', '1.5', '1e3'], invalid: ['1GB', '2 cores', 'Gi', ''] },
  'column-type': {
    valid: ['string', 'decimal(18,2)', 'array(string)', 'map(string,integer)'],
    invalid: ['int', 'decimal', 'decimal(2,5)', 'array()', 'varchar(10)'],
  },
  'key-template': {
    valid: ['outlet:{outlet_id}', 'a:{{literal}}:{id}', 'plain'],
    invalid: ['x:{', 'x:{}', 'x:}', 'x:{Bad-Name}'],
  },
  regex: { valid: ['^[A-Z]{2}$', '\\d+'], invalid: ['[unclosed', '(?<'] },
  date: {
    valid: ['2027-01-01', '2024-02-29', '2000-02-29'],
    invalid: ['2023-02-29', '1900-02-29', '2027-13-01', '2027-1-1', '27-01-01', '2027-04-31'],
  },
  email: {
    valid: ['jane@example.com', 'a.b+c@sub.example.co.ke'],
    invalid: ['jane', 'jane@', '@example.com', 'jane@example', 'ja ne@example.com'],
  },
};

describe('formats', () => {
  for (const [format, { valid, invalid }] of Object.entries(cases)) {
    it(`${format}: accepts valid values and explains invalid ones`, () => {
      for (const v of valid) expect(checkFormat(format, v), `${format} ${v}`).toBeUndefined();
      for (const v of invalid) expect(checkFormat(format, v), `${format} ${v}`).toEqual(expect.any(String));
    });
  }

  it('memoises without changing answers', () => {
    expect(checkFormat('semver', '1.0')).toBe(checkFormat('semver', '1.0'));
    expect(checkFormat('semver', '1.0.0')).toBeUndefined();
  });

  it('knows leap years and time zones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
  });
});
