import type { LangiumCoreServices } from 'langium';
import type { Expression } from '../generated/ast.js';
import type { ExpressionProblem } from './problems.js';
import { syntaxProblems } from './syntax-problems.js';

/** An expression text with its syntax tree, or its syntax problems. */
export interface ParsedExpression {
  readonly text: string;
  /** The syntax tree; undefined when the text has syntax problems. */
  readonly ast: Expression | undefined;
  readonly problems: readonly ExpressionProblem[];
}

/** Parses expression texts into syntax trees (no documents, no linking: just the parser). */
export class CheckExpressionParser {
  private readonly parser: LangiumCoreServices['parser']['LangiumParser'];
  private readonly lexer: LangiumCoreServices['parser']['Lexer'];

  constructor(services: LangiumCoreServices) {
    this.parser = services.parser.LangiumParser;
    this.lexer = services.parser.Lexer;
  }

  parse(text: string): ParsedExpression {
    const result = this.parser.parse<Expression>(text);
    if (result.lexerErrors.length === 0 && result.parserErrors.length === 0 && text.trim() !== '') {
      return { text, ast: result.value, problems: [] };
    }
    return { text, ast: undefined, problems: syntaxProblems(text, result, this.lexer) };
  }
}
