import { DefaultLexer, type LexerResult, type TokenizeOptions } from 'langium';

/** Keyword token types are named after the keyword; terminals (ID, NUMBER, …) are upper case. */
const KEYWORD_NAME = /^[a-z]+$/;

/**
 * Keywords are case-insensitive (`AND`, `Is Not Null`); this lexer gives their tokens the
 * lower-case image, so the syntax tree holds `and`/`or` whatever the spelling. The source text,
 * and every CST range, is unchanged.
 */
export class CheckExpressionLexer extends DefaultLexer {
  override tokenize(text: string, options?: TokenizeOptions): LexerResult {
    const result = super.tokenize(text, options);
    for (const token of result.tokens) {
      if (KEYWORD_NAME.test(token.tokenType.name)) token.image = token.image.toLowerCase();
    }
    return result;
  }
}
