import { createCheckExpressions, type CheckExpressions as ExpressionLanguage } from '@hekima/grammars';
import type {
  CheckExpressions,
  ExpressionColumns,
  ExpressionEvaluation,
  ExpressionProblem,
  ExpressionValue,
} from '../../ports/check-expressions.js';

/** The expect language through its Langium implementation (`@hekima/grammars`, core services only). */
export class LangiumCheckExpressions implements CheckExpressions {
  private readonly language: ExpressionLanguage;

  constructor(language: ExpressionLanguage = createCheckExpressions()) {
    this.language = language;
  }

  check(expression: string, columns: ExpressionColumns): readonly ExpressionProblem[] {
    return this.language.validate(expression, {
      ...(columns.columns ? { columns: columns.columns } : {}),
      ...(columns.unnamed ? { unnamed: columns.unnamed } : {}),
    });
  }

  evaluate(expression: string, row: Readonly<Record<string, ExpressionValue>>): ExpressionEvaluation {
    const { pass, value, explanation, error } = this.language.evaluate(expression, row);
    return error ? { pass, value, explanation, error } : { pass, value, explanation };
  }
}
