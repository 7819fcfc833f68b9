import type { LangiumCoreServices } from 'langium';

// Chevrotain's types, reached through Langium's services (chevrotain is Langium's dependency, not ours).
type IParserErrorMessageProvider = LangiumCoreServices['parser']['ParserErrorMessageProvider'];
type ILexerErrorMessageProvider = LangiumCoreServices['parser']['LexerErrorMessageProvider'];
type MismatchOptions = Parameters<IParserErrorMessageProvider['buildMismatchTokenMessage']>[0];
export type IToken = MismatchOptions['actual'];
export type TokenType = MismatchOptions['expected'];

const VALUE_TOKENS = new Set(['NUMBER', 'STRING', 'ID', 'QUOTED_ID']);
/** Keywords that start a value: listed once as "a value" rather than one by one. */
const VALUE_STARTS = new Set(['true', 'false', 'null', '(', '-', '+']);

/** How a token type reads in a message: `a number`, `')'`, `the end of the expression`. */
export function describeTokenType(type: TokenType): string {
  switch (type.name) {
    case 'NUMBER':
      return 'a number';
    case 'STRING':
      return "a 'string'";
    case 'ID':
    case 'QUOTED_ID':
      return 'a column name';
    case 'EOF':
      return 'the end of the expression';
    default:
      return `'${type.name}'`;
  }
}

export function describeToken(token: IToken): string {
  return token.tokenType.name === 'EOF' ? 'the end of the expression' : `'${token.image}'`;
}

/** The distinct descriptions of the first tokens of some alternatives, values folded into one. */
function expectedList(firstTokens: readonly TokenType[]): string {
  const parts: string[] = [];
  let value = false;
  for (const type of firstTokens) {
    if (VALUE_TOKENS.has(type.name) || VALUE_STARTS.has(type.name)) value = true;
    else {
      const d = describeTokenType(type);
      if (!parts.includes(d)) parts.push(d);
    }
  }
  if (value) parts.unshift("a value (a number, a 'string', a column name, true, false, null or a parenthesis)");
  if (parts.length <= 1) return parts[0] ?? 'something else';
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** Messages that name what was expected and what was found, in the words of the expression language. */
export class CheckExpressionParserErrorMessages implements IParserErrorMessageProvider {
  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken }): string {
    return `expected ${describeTokenType(options.expected)} but found ${describeToken(options.actual)}`;
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken }): string {
    return `unexpected ${describeToken(options.firstRedundant)}: the expression should end here`;
  }

  buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
    const first = options.expectedPathsPerAlt
      .flatMap((paths) => paths.map((path) => path[0]))
      .filter((t): t is TokenType => t !== undefined);
    const actual = options.actual[0];
    return `expected ${expectedList(first)} but found ${actual ? describeToken(actual) : 'the end of the expression'}`;
  }

  buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
    const first = options.expectedIterationPaths.map((path) => path[0]).filter((t): t is TokenType => t !== undefined);
    const actual = options.actual[0];
    return `expected ${expectedList(first)} but found ${actual ? describeToken(actual) : 'the end of the expression'}`;
  }
}

export class CheckExpressionLexerErrorMessages implements ILexerErrorMessageProvider {
  buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
    const text = fullText.slice(startOffset, startOffset + length);
    if (text.startsWith("'")) return "unterminated string: close it with '";
    if (text.startsWith('"')) return 'unterminated quoted column name: close it with "';
    return `unexpected character${length > 1 ? 's' : ''} '${text}'`;
  }

  buildUnableToPopLexerModeMessage(token: IToken): string {
    return `unexpected '${token.image}'`;
  }
}
