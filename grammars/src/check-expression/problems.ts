/**
 * What can be wrong with an expression. Every problem is an error and carries a range:
 * character offsets [start, end) into the expression text.
 */
export type ProblemCode =
  'syntax' | 'unknown-column' | 'type-mismatch' | 'always-null' | 'not-a-condition' | 'number-out-of-range';

export interface ExpressionProblem {
  readonly code: ProblemCode;
  /** Names the offending text, e.g. `unknown column 'failurs'`. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
  readonly start: number;
  readonly end: number;
  /** Text that replaces [start, end) to fix the problem, when the fix is certain enough to offer. */
  readonly replacement?: string;
}

export function problem(
  code: ProblemCode,
  message: string,
  hint: string,
  start: number,
  end: number,
  replacement?: string,
): ExpressionProblem {
  return replacement === undefined
    ? { code, message, hint, start, end }
    : { code, message, hint, start, end, replacement };
}
