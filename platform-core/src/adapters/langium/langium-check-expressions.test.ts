import { describe, expect, it } from 'vitest';
import { LangiumCheckExpressions } from './langium-check-expressions.js';

const expressions = new LangiumCheckExpressions();

describe('LangiumCheckExpressions', () => {
  it('checks an expect against the result columns', () => {
    expect(expressions.check('failures = 0', { columns: [{ name: 'failures', type: 'number' }] })).toEqual([]);
    expect(expressions.check('failurs = 0', { columns: [{ name: 'failures', type: 'number' }] })).toEqual([
      expect.objectContaining({
        code: 'unknown-column',
        start: 0,
        end: 7,
        replacement: 'failures',
        message: "unknown column 'failurs': did you mean 'failures'?",
      }),
    ]);
    expect(expressions.check('anything = 0', {})).toEqual([]);
  });

  it('evaluates a check on its result row for the runtime', () => {
    expect(expressions.evaluate('failures = 0', { failures: 3n })).toEqual({
      pass: false,
      value: false,
      explanation: 'failures = 3, expected failures = 0',
    });
    expect(expressions.evaluate('failures = 0', { failures: 0n })).toMatchObject({ pass: true, value: true });
    expect(expressions.evaluate('failures = 0', { failed: 0 })).toMatchObject({
      pass: false,
      error: { code: 'unknown-column' },
    });
  });
});
