import type { ResultRow } from './context.js';
import { EvaluationError, Run, type ColumnValue } from './evaluation-run.js';
import { explain } from './explanation.js';
import type { ParsedExpression } from './parser.js';
import { problem, type ExpressionProblem } from './problems.js';
import { formatValue, kindOf, type Truth } from './sql-values.js';
import { rangeOf } from './source-text.js';

export type { ColumnValue } from './evaluation-run.js';

export interface Evaluation {
  /** True only when the expression is true: false and null (unknown) fail, as in a SQL WHERE. */
  readonly pass: boolean;
  /** The three-valued result (null when unknown or when evaluation failed). */
  readonly value: Truth;
  /** The values read and what was expected, e.g. `failures = 3, expected failures = 0`. */
  readonly explanation: string;
  /** The columns the expression read, in order of first use. */
  readonly values: readonly ColumnValue[];
  /** Why the expression could not be evaluated on this row (syntax, missing column, type mismatch). */
  readonly error?: ExpressionProblem;
}

/** Evaluates an expression against the one result row of its check, with SQL's null semantics. */
export class CheckExpressionEvaluator {
  evaluate(parsed: ParsedExpression, row: ResultRow): Evaluation {
    const firstProblem = parsed.problems[0];
    if (!parsed.ast || firstProblem) {
      const error =
        firstProblem ??
        problem('syntax', 'the expression could not be parsed', 'fix the expression', 0, parsed.text.length);
      return {
        pass: false,
        value: null,
        explanation: `cannot evaluate ${JSON.stringify(parsed.text)}: ${error.message}`,
        values: [],
        error,
      };
    }
    const run = new Run(parsed.text, row);
    try {
      const result = run.value(parsed.ast);
      if (result !== null && typeof result !== 'boolean') {
        const [start, end] = rangeOf(parsed.ast);
        throw new EvaluationError(
          problem(
            'not-a-condition',
            `expect must be a condition, but it gives ${kindOf(result)} ${formatValue(result)}`,
            'compare the value, e.g. failures = 0',
            start,
            end,
          ),
        );
      }
      return { pass: result === true, value: result, explanation: explain(parsed, run, result), values: run.values };
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      const values = run.values.map((v) => `${v.name} = ${formatValue(v.value)}`).join(', ');
      return {
        pass: false,
        value: null,
        explanation: `${values ? `${values}: ` : ''}${e.problem.message}`,
        values: run.values,
        error: e.problem,
      };
    }
  }
}
