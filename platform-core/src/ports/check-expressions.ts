/**
 * The `expect` language of custom_sql quality checks (`failures = 0`,
 * `failures <= 10 and ratio < 0.01`): checked by the validator, evaluated by the runtime on the
 * single result row of the check's SQL. Offsets are character offsets into the expression text.
 */

/** What a result column holds, when the check's SQL tells; `unknown` matches anything. */
export type ExpressionValueType = 'number' | 'string' | 'boolean' | 'unknown';

export interface ExpressionColumn {
  readonly name: string;
  readonly type?: ExpressionValueType;
  /** The SQL expression computing the column, for messages and hovers. */
  readonly sql?: string;
}

/** The result columns an expression may read. */
export interface ExpressionColumns {
  /** Named columns of the SQL's final SELECT; absent when they cannot be known (names are then not checked). */
  readonly columns?: readonly ExpressionColumn[];
  /** SQL text of result columns without a name (an expression without AS). */
  readonly unnamed?: readonly string[];
}

export interface ExpressionProblem {
  /** syntax, unknown-column, type-mismatch, always-null, not-a-condition, number-out-of-range. */
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  /** [start, end) in the expression text. */
  readonly start: number;
  readonly end: number;
  /** Replacement text for [start, end) that fixes the problem, when certain enough to offer. */
  readonly replacement?: string;
}

/** A value of the result row as the engine returns it (BIGINT as bigint). */
export type ExpressionValue = number | bigint | string | boolean | null;

export interface ExpressionEvaluation {
  /** True only when the expression is true; false and null (unknown) fail, as in SQL. */
  readonly pass: boolean;
  readonly value: boolean | null;
  /** What was read and expected, e.g. `failures = 3, expected failures = 0`. */
  readonly explanation: string;
  /** Why the expression could not be evaluated on this row (then `pass` is false). */
  readonly error?: ExpressionProblem;
}

export interface CheckExpressions {
  /** Every problem of an expression (syntax, unknown columns, types, nulls), each with its range. */
  check(expression: string, columns: ExpressionColumns): readonly ExpressionProblem[];
  /** Pass or fail on the check's result row, with an explanation showing the values. */
  evaluate(expression: string, row: Readonly<Record<string, ExpressionValue>>): ExpressionEvaluation;
}
