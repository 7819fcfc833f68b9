import type { ExpressionContext } from './context.js';
import type { ParsedExpression } from './parser.js';
import type { ExpressionProblem } from './problems.js';
import { describe, rangeOf } from './source-text.js';
import { TypeCheck } from './type-check.js';

/**
 * Checks a parsed expression against the result columns of its check: syntax problems, unknown
 * columns (with the nearest name), type mismatches, comparisons with null, and whether the whole
 * is a condition.
 */
export class CheckExpressionValidator {
  validate(parsed: ParsedExpression, context: ExpressionContext = {}): ExpressionProblem[] {
    if (!parsed.ast) return [...parsed.problems];
    const run = new TypeCheck(parsed.text, context);
    const type = run.typeOf(parsed.ast);
    const [start, end] = rangeOf(parsed.ast);
    if (type === 'null') {
      run.report(
        'always-null',
        `the expression is always null, so the check can never pass`,
        'compare a result column, e.g. failures = 0',
        start,
        end,
      );
    } else if (type === 'number' || type === 'string') {
      const hint =
        type === 'number'
          ? `compare it, e.g. ${describe(parsed.text, parsed.ast)} = 0`
          : `compare it, e.g. ${describe(parsed.text, parsed.ast)} = 'ok'`;
      run.report(
        'not-a-condition',
        `expect must be a condition (true or false), but ${describe(parsed.text, parsed.ast)} is a ${type}`,
        hint,
        start,
        end,
      );
    }
    return run.problems.sort((a, b) => a.start - b.start || a.end - b.end);
  }
}
