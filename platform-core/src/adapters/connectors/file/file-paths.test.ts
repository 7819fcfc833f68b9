import { describe, expect, it } from 'vitest';
import { globToRegExp } from './file-paths.js';

describe('globToRegExp', () => {
  it('matches one segment with *, any depth with **, one character with ?', () => {
    expect(globToRegExp('*.csv').test('a.csv')).toBe(true);
    expect(globToRegExp('*.csv').test('x/a.csv')).toBe(false);
    expect(globToRegExp('**/*.csv').test('a.csv')).toBe(true);
    expect(globToRegExp('**/*.csv').test('x/y/a.csv')).toBe(true);
    expect(globToRegExp('day-?.jsonl').test('day-1.jsonl')).toBe(true);
    expect(globToRegExp('a.csv').test('aXcsv')).toBe(false);
  });
});
