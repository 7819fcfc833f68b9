import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckExpressions } from './check-expressions.js';
import { arbitraryTree } from './arbitrary-expression.test-support.js';
import type { Expression } from '../generated/ast.js';

const expressions = createCheckExpressions();

function syntax(text: string) {
  const parsed = expressions.parse(text);
  expect(parsed.ast).toBeUndefined();
  return parsed.problems.map((p) => ({
    at: text.slice(p.start, p.end),
    message: p.message,
    hint: p.hint,
    replacement: p.replacement,
  }));
}

describe('syntax problems', () => {
  it('point at the offending token with a message in the words of the language', () => {
    expect(syntax('failures = ')).toEqual([
      {
        at: '=',
        message:
          "expected a value (a number, a 'string', a column name, true, false, null or a parenthesis) but found the end of the expression",
        hint: 'complete the expression',
        replacement: undefined,
      },
    ]);
    expect(syntax('failures = 0 0')[0]).toMatchObject({
      at: '0',
      message: "unexpected '0': the expression should end here",
    });
    expect(syntax('x between 1')[0]).toMatchObject({ message: "expected 'and' but found the end of the expression" });
    expect(syntax('x in ()')[0]).toMatchObject({ at: ')' });
    expect(syntax('(failures = 0')[0]).toMatchObject({ message: "expected ')' but found the end of the expression" });
  });

  it('recognise habits from other languages and offer the SQL spelling', () => {
    expect(syntax('failures == 0')[0]).toMatchObject({
      at: '=',
      hint: 'SQL compares with a single =',
      replacement: '',
    });
    expect(syntax('a && b')[0]).toMatchObject({ at: '&&', replacement: 'and' });
    expect(syntax('a || b')[0]).toMatchObject({ at: '||', replacement: 'or' });
    expect(syntax('!ok')[0]).toMatchObject({ at: '!', replacement: 'not ' });
    expect(syntax('a = b = c')[0]).toMatchObject({
      at: '=',
      hint: expect.stringContaining('comparisons do not chain'),
    });
  });

  it('cover an unterminated string or name to the end', () => {
    expect(syntax("status = 'ok")[0]).toMatchObject({ at: "'ok", message: "unterminated string: close it with '" });
    expect(syntax('"status = 1')[0]).toMatchObject({ at: '"status = 1' });
    expect(syntax('a ≠ 1')[0]).toMatchObject({ at: '≠', message: "unexpected character '≠'" });
  });

  it('call an empty expression empty', () => {
    expect(syntax('  ')).toEqual([
      { at: '  ', message: 'the expression is empty', hint: expect.any(String), replacement: undefined },
    ]);
  });

  it('always carry a non-empty range inside the text', () => {
    const mutated = fc
      .tuple(
        arbitraryTree,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '(', ')', '=', "'", '"', ',', 'and', '!', '#', ' in ', '1 ')), {
          maxLength: 3,
        }),
      )
      .map(([tree, edits]) => {
        let text = expressions.print(tree as unknown as Expression);
        for (const [at, insert] of edits) {
          const i = at % (text.length + 1);
          text = insert === '' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + insert + text.slice(i);
        }
        return text;
      });
    fc.assert(
      fc.property(mutated, (text) => {
        for (const p of expressions.validate(text, { columns: [{ name: 'a' }] })) {
          expect(p.start, `${p.message} in ${text}`).toBeGreaterThanOrEqual(0);
          expect(p.end).toBeLessThanOrEqual(text.length);
          if (text.trim() !== '') expect(p.end).toBeGreaterThan(p.start);
          expect(p.message.length).toBeGreaterThan(5);
          expect(p.hint.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
