import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckExpressions } from '../check-expression/check-expressions.js';
import { arbitraryTree } from '../check-expression/arbitrary-expression.test-support.js';
import type { Expression } from '../generated/ast.js';
import { tokenize } from './textmate.test-support.js';

const expressions = createCheckExpressions();
const lexer = expressions.services.parser.Lexer;

/** The scope the TextMate grammar must give each token type of the Langium grammar. */
const SCOPE_OF: Record<string, string> = {
  NUMBER: 'constant.numeric.akili-expect',
  STRING: 'string.quoted.single.akili-expect',
  ID: 'variable.other.column.akili-expect',
  QUOTED_ID: 'variable.other.column.quoted.akili-expect',
  and: 'keyword.operator.logical.akili-expect',
  or: 'keyword.operator.logical.akili-expect',
  not: 'keyword.operator.logical.akili-expect',
  is: 'keyword.operator.word.akili-expect',
  between: 'keyword.operator.word.akili-expect',
  in: 'keyword.operator.word.akili-expect',
  true: 'constant.language.boolean.akili-expect',
  false: 'constant.language.boolean.akili-expect',
  null: 'constant.language.null.akili-expect',
  '=': 'keyword.operator.comparison.akili-expect',
  '!=': 'keyword.operator.comparison.akili-expect',
  '<>': 'keyword.operator.comparison.akili-expect',
  '<': 'keyword.operator.comparison.akili-expect',
  '<=': 'keyword.operator.comparison.akili-expect',
  '>': 'keyword.operator.comparison.akili-expect',
  '>=': 'keyword.operator.comparison.akili-expect',
  '+': 'keyword.operator.arithmetic.akili-expect',
  '-': 'keyword.operator.arithmetic.akili-expect',
  '*': 'keyword.operator.arithmetic.akili-expect',
  '/': 'keyword.operator.arithmetic.akili-expect',
  '(': 'punctuation.section.parens.begin.akili-expect',
  ')': 'punctuation.section.parens.end.akili-expect',
  ',': 'punctuation.separator.comma.akili-expect',
};

describe('the TextMate grammar of expressions agrees with the Langium grammar', () => {
  it('covers every token type of the Langium grammar', () => {
    const types = Object.keys(lexer.definition).filter((name) => name !== 'WS');
    expect(types.filter((t) => !(t in SCOPE_OF))).toEqual([]);
  });

  it('scopes every token of random expressions as the parser reads it', async () => {
    const samples = fc.sample(
      arbitraryTree
        .map((tree) => expressions.print(tree as unknown as Expression))
        .filter((text) => !text.includes('\n')),
      { numRuns: 300, seed: 42 },
    );
    // Keywords in any case read the same.
    samples.push('A IS NOT NULL Or "x" NOT BETWEEN -1.5E3 AND .5 aNd b In (1, 2)');
    for (const text of samples) {
      const [line] = await tokenize('source.akili-expect', text);
      for (const token of lexer.tokenize(text).tokens) {
        const expected = SCOPE_OF[token.tokenType.name];
        const covering = (line ?? []).filter((t) => t.start <= token.startOffset && t.end > token.startOffset);
        expect(covering.length, `${token.image} in ${text}`).toBeGreaterThan(0);
        for (const t of covering) expect(t.scopes, `'${token.image}' in ${text}`).toContain(expected);
      }
    }
  });
});
