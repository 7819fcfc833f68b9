import { describe, expect, it } from 'vitest';
import { createCheckExpressions } from './check-expressions.js';

const expressions = createCheckExpressions();

describe('evaluation of one result row', () => {
  it('shows the values and what was expected', () => {
    expect(expressions.evaluate('failures = 0', { failures: 3n })).toEqual({
      pass: false,
      value: false,
      explanation: 'failures = 3, expected failures = 0',
      values: [{ name: 'failures', value: 3n }],
    });
    expect(expressions.evaluate('failures = 0', { failures: 0 }).explanation).toBe('failures = 0: failures = 0 holds');
  });

  it('lists the unmet parts of an and-chain', () => {
    const result = expressions.evaluate('failures <= 10 and ratio < 0.01', { failures: 3, ratio: 0.05 });
    expect(result.pass).toBe(false);
    expect(result.explanation).toBe(
      'failures = 3, ratio = 0.05, expected failures <= 10 and ratio < 0.01 (not met: ratio < 0.01 is false)',
    );
  });

  it('fails an unknown (null) result and says why', () => {
    const nullValue = expressions.evaluate('failures = 0', { failures: null });
    expect(nullValue).toMatchObject({ pass: false, value: null });
    expect(nullValue.explanation).toBe(
      'failures = null, expected failures = 0; the result is unknown because a value is null, and an unknown result fails the check',
    );
    const byZero = expressions.evaluate('bad / total < 0.01', { bad: 1, total: 0 });
    expect(byZero).toMatchObject({ pass: false, value: null });
    expect(byZero.explanation).toContain('a division by zero gives null');
  });

  it('follows SQL: null or true is true, null and false is false, not in with a null', () => {
    expect(expressions.evaluate('a = 1 or b = 1', { a: null, b: 1 }).value).toBe(true);
    expect(expressions.evaluate('a = 1 and b = 1', { a: null, b: 2 }).value).toBe(false);
    expect(expressions.evaluate('a not in (1, b)', { a: 2, b: null }).value).toBe(null);
    expect(expressions.evaluate('a is null and b is not null', { a: null, b: 0 }).value).toBe(true);
  });

  it('compares bigints exactly, strings by code unit, and finds columns ignoring case', () => {
    expect(expressions.evaluate('n > 9007199254740992', { n: 9007199254740993n }).value).toBe(true);
    expect(expressions.evaluate('n * 2 = 18014398509481986', { n: 9007199254740993n }).value).toBe(true);
    expect(expressions.evaluate('n * 2 = 18014398509481984', { n: 9007199254740993n }).value).toBe(false);
    expect(expressions.evaluate('n + 1 = 9007199254740994', { n: 9007199254740993n }).value).toBe(true);
    expect(expressions.evaluate("s < 'b' and s >= 'B'", { s: 'a' }).value).toBe(true);
    expect(expressions.evaluate('FAILURES = 0', { Failures: 0 }).pass).toBe(true);
  });

  it('reports what cannot be evaluated, with the range of the culprit', () => {
    const missing = expressions.evaluate('failures = 0', { fail_count: 0 });
    expect(missing).toMatchObject({ pass: false, value: null, error: { code: 'unknown-column', start: 0, end: 8 } });
    expect(missing.explanation).toBe("the result row has no column 'failures' (it has fail_count)");
    const mismatch = expressions.evaluate('status = 1', { status: 'ok' });
    expect(mismatch.error).toMatchObject({ code: 'type-mismatch', start: 0, end: 10 });
    expect(mismatch.explanation).toBe("status = 'ok': cannot compare status (string 'ok') with 1 (number 1)");
    const syntax = expressions.evaluate('failures =', { failures: 0 });
    expect(syntax.error?.code).toBe('syntax');
    const notCondition = expressions.evaluate('failures + 1', { failures: 0 });
    expect(notCondition.error?.code).toBe('not-a-condition');
  });
});

describe('number literals', () => {
  it('keeps integers beyond 2^53 exact, parenthesized or not', () => {
    expect(expressions.evaluate('n = (9007199254740993)', { n: 9007199254740993n }).value).toBe(true);
    expect(expressions.evaluate('n = 9007199254740993', { n: 9007199254740992n }).value).toBe(false);
    expect(expressions.evaluate('x = 1.5e3', { x: 1500 }).value).toBe(true);
  });
});
