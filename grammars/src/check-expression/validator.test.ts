import { describe, expect, it } from 'vitest';
import { createCheckExpressions } from './check-expressions.js';
import type { ExpressionContext } from './context.js';

const expressions = createCheckExpressions();
const context: ExpressionContext = {
  columns: [
    { name: 'failures', type: 'number' },
    { name: 'ratio', type: 'number' },
    { name: 'status', type: 'string' },
    { name: 'ok', type: 'boolean' },
    { name: 'anything' },
  ],
};

/** Problems as [code, the text they cover, message]. */
function problems(text: string, ctx: ExpressionContext = context) {
  return expressions.validate(text, ctx).map((p) => [p.code, text.slice(p.start, p.end), p.message] as const);
}

describe('validation', () => {
  it('accepts well-typed conditions over the result columns', () => {
    for (const text of [
      'failures = 0',
      'failures <= 10 and ratio < 0.01',
      "status in ('ok', 'warn') or status is null",
      'ok',
      'not ok and anything',
      "anything = 'x' and anything > 3",
      'FAILURES between 0 and 10',
      '(failures = 0) = true',
      'ratio * 100 + 1 >= -failures / 2',
    ]) {
      expect(problems(text), text).toEqual([]);
    }
  });

  it('names an unknown column, suggests the nearest one and offers it as the fix', () => {
    const [problem] = expressions.validate('failurs = 0 and ratio < 1', context);
    expect(problem).toMatchObject({ code: 'unknown-column', start: 0, end: 7, replacement: 'failures' });
    expect(problem?.message).toBe("unknown column 'failurs': did you mean 'failures'?");
    expect(problem?.hint).toContain("the check's SQL returns failures, ratio, status, ok, anything");
  });

  it('reports every unknown column, without a suggestion when none is close', () => {
    expect(problems('zzz = 0 or ratio_x > 1')).toEqual([
      ['unknown-column', 'zzz', "unknown column 'zzz'"],
      ['unknown-column', 'ratio_x', "unknown column 'ratio_x': did you mean 'ratio'?"],
    ]);
  });

  it('suggests an alias when the SQL has unnamed result columns, and single quotes for a "string"', () => {
    const [alias] = expressions.validate('count = 0', { columns: [], unnamed: ['COUNT(*)'] });
    expect(alias?.hint).toContain("the check's SQL returns no named columns; name a result column with AS");
    const [quoted] = expressions.validate('status = "done"', context);
    expect(quoted).toMatchObject({ code: 'unknown-column', start: 9, end: 15, replacement: "'done'" });
    expect(quoted?.hint).toContain("for a string write 'done'");
  });

  it('does not check names when the columns are unknown', () => {
    expect(problems('whatever = 1', {})).toEqual([]);
  });

  it('reports type mismatches with the range of the comparison', () => {
    expect(problems("failures = 'zero'")).toEqual([
      ['type-mismatch', "failures = 'zero'", "cannot compare failures (a number) with 'zero' (a string)"],
    ]);
    expect(problems("status between 1 and 'z'")).toEqual([
      ['type-mismatch', "status between 1 and 'z'", 'cannot compare status (a string) with 1 (a number)'],
    ]);
    expect(problems("failures in (1, 'two')")).toEqual([
      ['type-mismatch', "'two'", "cannot compare failures (a number) with 'two' (a string)"],
    ]);
    expect(problems('status + 1 > 0')).toEqual([
      ['type-mismatch', 'status', "'+' needs numbers, but status is a string"],
    ]);
    expect(problems('-ok = 1')).toEqual([['type-mismatch', 'ok', "'-' needs numbers, but ok is a boolean"]]);
    expect(problems('ok = 1')).toEqual([
      ['type-mismatch', 'ok = 1', 'cannot compare ok (a boolean) with 1 (a number)'],
    ]);
  });

  it('requires conditions around and, or, not, and at the top', () => {
    expect(problems('failures and ok')).toEqual([
      ['type-mismatch', 'failures', "'and' needs conditions, but failures is a number"],
    ]);
    expect(problems('not status')).toEqual([
      ['type-mismatch', 'status', "'not' needs conditions, but status is a string"],
    ]);
    expect(problems('failures + 1')).toEqual([
      ['not-a-condition', 'failures + 1', 'expect must be a condition (true or false), but failures + 1 is a number'],
    ]);
  });

  it('rejects comparisons with null, offering is null', () => {
    const [eq] = expressions.validate('failures = null', context);
    expect(eq).toMatchObject({ code: 'always-null', start: 0, end: 15, replacement: 'failures is null' });
    const [ne] = expressions.validate('null <> status', context);
    expect(ne?.replacement).toBe('status is not null');
    expect(problems('ratio + null < 1')).toEqual([
      ['always-null', 'ratio + null', 'ratio + null is always null (arithmetic with null gives null)'],
    ]);
    expect(problems('failures not in (1, null)')[0]?.[0]).toBe('always-null');
    expect(problems('null')).toEqual([
      ['always-null', 'null', 'the expression is always null, so the check can never pass'],
    ]);
  });

  it('rejects a number literal beyond the range of a double', () => {
    expect(problems('failures < 1e999')).toEqual([['number-out-of-range', '1e999', 'number 1e999 is out of range']]);
  });

  it('reports syntax problems instead of, not on top of, the rest', () => {
    expect(problems('failurs = = 0').map((p) => p[0])).toEqual(['syntax']);
  });
});
