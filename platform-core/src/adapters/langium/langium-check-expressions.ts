import { createRequire } from 'node:module';
import type { CheckExpressions as ExpressionLanguage, createCheckExpressions } from '@hekima/grammars';
import type {
  CheckExpressions,
  ExpressionColumns,
  ExpressionEvaluation,
  ExpressionProblem,
  ExpressionValue,
} from '../../ports/check-expressions.js';

const requireModule = createRequire(import.meta.url);

/**
 * The expect language through its Langium implementation (`@hekima/grammars`, core services
 * only). Langium is loaded on first use, synchronously (Node ≥ 20.19 requires ES modules): it
 * takes a few hundred milliseconds to load, which a workspace without custom_sql checks never
 * pays.
 */
export class LangiumCheckExpressions implements CheckExpressions {
  private loaded: ExpressionLanguage | undefined;

  constructor(language?: ExpressionLanguage) {
    this.loaded = language;
  }

  private get language(): ExpressionLanguage {
    if (!this.loaded) {
      const grammars = requireModule('@hekima/grammars') as { createCheckExpressions: typeof createCheckExpressions };
      this.loaded = grammars.createCheckExpressions();
    }
    return this.loaded;
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
