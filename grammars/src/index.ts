// @hekima/grammars — the check-expression language without LSP (parse, validate, evaluate, print).
// LSP services live on the './lsp' subpath; TextMate grammars under './syntaxes/*'.
export { CheckExpressions, createCheckExpressions } from './check-expression/check-expressions.js';
export { CheckExpressionModule, createCheckExpressionServices } from './check-expression/check-expression-module.js';
export type {
  CheckExpressionAddedServices,
  CheckExpressionServices,
} from './check-expression/check-expression-module.js';
export { CheckExpressionParser } from './check-expression/parser.js';
export type { ParsedExpression } from './check-expression/parser.js';
export { CheckExpressionValidator } from './check-expression/validator.js';
export { CheckExpressionEvaluator } from './check-expression/evaluator.js';
export type { Evaluation, ColumnValue } from './check-expression/evaluator.js';
export {
  CheckExpressionPrinter,
  KEYWORDS,
  columnNameText,
  stringLiteralText,
  precedenceOf,
} from './check-expression/printer.js';
export type { ExpressionProblem, ProblemCode } from './check-expression/problems.js';
export type { ExpressionContext, ResultColumn, ResultRow, RowValue, ValueType } from './check-expression/context.js';
export { findByName, nearestName } from './check-expression/context.js';
export { formatValue } from './check-expression/sql-values.js';
export type { Truth } from './check-expression/sql-values.js';
export type {
  ArithmeticExpression,
  BetweenExpression,
  BooleanLiteral,
  ColumnReference,
  ComparisonExpression,
  Expression,
  InExpression,
  IsNullExpression,
  LogicalExpression,
  NotExpression,
  NullLiteral,
  NumberLiteral,
  StringLiteral,
  UnaryExpression,
} from './generated/ast.js';
export { CheckExpressionLanguageMetaData } from './generated/module.js';
