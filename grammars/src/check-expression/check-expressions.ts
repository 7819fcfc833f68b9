import type { Expression } from '../generated/ast.js';
import { createCheckExpressionServices, type CheckExpressionServices } from './check-expression-module.js';
import type { ExpressionContext, ResultRow } from './context.js';
import type { Evaluation } from './evaluator.js';
import type { ParsedExpression } from './parser.js';
import type { ExpressionProblem } from './problems.js';

/**
 * The expression language without LSP: parse, validate, evaluate, print. One instance holds one
 * parser (building it takes a few milliseconds); it keeps no other state and may be shared.
 */
export class CheckExpressions {
  readonly services: CheckExpressionServices;

  constructor(services?: CheckExpressionServices) {
    this.services = services ?? createCheckExpressionServices().CheckExpression;
  }

  parse(text: string): ParsedExpression {
    return this.services.expressions.Parser.parse(text);
  }

  /** Every problem of the expression (syntax first; then names, types and nulls), each with a range. */
  validate(expression: string | ParsedExpression, context?: ExpressionContext): ExpressionProblem[] {
    return this.services.expressions.Validator.validate(this.parsed(expression), context);
  }

  /** Pass or fail on one result row, with an explanation that shows the values. */
  evaluate(expression: string | ParsedExpression, row: ResultRow): Evaluation {
    return this.services.expressions.Evaluator.evaluate(this.parsed(expression), row);
  }

  /** The canonical text of a syntax tree; parsing it gives back the same tree. */
  print(node: Expression): string {
    return this.services.expressions.Printer.print(node);
  }

  private parsed(expression: string | ParsedExpression): ParsedExpression {
    return typeof expression === 'string' ? this.parse(expression) : expression;
  }
}

export function createCheckExpressions(): CheckExpressions {
  return new CheckExpressions();
}
