import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expression } from '../generated/ast.js';
import { createCheckExpressions } from './check-expressions.js';
import { arbitraryTree, nodesOf, plain, type Tree } from './arbitrary-expression.test-support.js';
import { rangeOf } from './source-text.js';

const expressions = createCheckExpressions();

describe('printing and parsing', () => {
  it('round-trips: parse(print(tree)) is the tree', () => {
    fc.assert(
      fc.property(arbitraryTree, (tree) => {
        const text = expressions.print(tree as unknown as Expression);
        const parsed = expressions.parse(text);
        expect(parsed.problems, text).toEqual([]);
        expect(plain(parsed.ast), text).toEqual(tree);
      }),
      { numRuns: 2000 },
    );
  });

  it('prints its own output unchanged (canonical form is a fixed point)', () => {
    fc.assert(
      fc.property(arbitraryTree, (tree) => {
        const once = expressions.print(tree as unknown as Expression);
        const ast = expressions.parse(once).ast;
        expect(ast && expressions.print(ast)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('gives every node the range of its own text, parentheses included', () => {
    fc.assert(
      fc.property(arbitraryTree, (tree) => {
        const text = expressions.print(tree as unknown as Expression);
        const ast = expressions.parse(text).ast;
        if (!ast) throw new Error(`no tree for ${text}`);
        for (const node of nodesOf(ast as unknown as Tree)) {
          const [start, end] = rangeOf(node as unknown as Expression);
          const slice = expressions.parse(text.slice(start, end));
          expect(plain(slice.ast), `${text} [${start}, ${end})`).toEqual(plain(node));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prints the canonical form: lower-case keywords, single spaces, minimal parentheses', () => {
    const canonical = (text: string) => {
      const ast = expressions.parse(text).ast;
      return ast && expressions.print(ast);
    };
    expect(canonical('FAILURES=0   AND(Ratio<.5)')).toBe('FAILURES = 0 and Ratio < 0.5');
    expect(canonical('(a or b) and not (c is  NULL)')).toBe('(a or b) and not c is null');
    expect(canonical('a - (b - c) - d * -(e + 1)')).toBe('a - (b - c) - d * -(e + 1)');
    expect(canonical('(a - b) - c')).toBe('a - b - c');
    expect(canonical('- -1 = +2')).toBe('- -1 = +2');
    expect(canonical(`"in" = 'it''s' and "order" = "Odd ""x"""`)).toBe(`"in" = 'it''s' and order = "Odd ""x"""`);
    expect(canonical('(a = b) = true')).toBe('(a = b) = true');
    expect(canonical('x NOT BETWEEN 1 AND 2 OR y not in (1,2)')).toBe('x not between 1 and 2 or y not in (1, 2)');
  });
});
