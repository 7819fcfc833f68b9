import type { ColumnReference, Expression } from '../generated/ast.js';
import { findByName, type ResultRow, type RowValue } from './context.js';
import { problem, type ExpressionProblem } from './problems.js';
import {
  and3,
  arithmetic,
  compareValues,
  formatValue,
  isNumeric,
  kindOf,
  literalValue,
  not3,
  or3,
  type Truth,
} from './sql-values.js';
import { describe, rangeOf } from './source-text.js';

export interface ColumnValue {
  readonly name: string;
  readonly value: RowValue;
}

/** Why an expression cannot be evaluated on a row; carries the problem with its range. */
export class EvaluationError extends Error {
  constructor(readonly problem: ExpressionProblem) {
    super(problem.message);
  }
}

/** One evaluation: reads columns from the row and remembers what it read and noticed. */
export class Run {
  readonly values: ColumnValue[] = [];
  readonly notes = new Set<string>();
  /** Result of every node evaluated, for explanations. */
  readonly results = new Map<Expression, RowValue>();

  constructor(
    private readonly text: string,
    private readonly row: ResultRow,
  ) {}

  value(node: Expression): RowValue {
    const result = this.compute(node);
    this.results.set(node, result);
    return result;
  }

  private compute(node: Expression): RowValue {
    switch (node.$type) {
      case 'NumberLiteral':
        return literalValue(node.$cstNode?.text.replace(/[()\s]/g, '') ?? '', node.value);
      case 'StringLiteral':
      case 'BooleanLiteral':
        return node.value;
      case 'NullLiteral':
        return null;
      case 'ColumnReference':
        return this.column(node);
      case 'UnaryExpression': {
        const v = this.number(node.operand, `'${node.operator}'`);
        if (v === null) return null;
        return node.operator === '+' ? v : -v;
      }
      case 'ArithmeticExpression': {
        const a = this.number(node.left, `'${node.operator}'`);
        const b = this.number(node.right, `'${node.operator}'`);
        if (a === null || b === null) return null;
        const result = arithmetic(node.operator, a, b);
        if (result === null) this.notes.add('a division by zero gives null');
        return result;
      }
      case 'NotExpression':
        return not3(this.truth(node.operand, "'not'"));
      case 'LogicalExpression': {
        const a = this.truth(node.left, `'${node.operator}'`);
        const b = this.truth(node.right, `'${node.operator}'`);
        return node.operator === 'and' ? and3(a, b) : or3(a, b);
      }
      case 'IsNullExpression': {
        const isNull = this.value(node.operand) === null;
        return node.negated ? !isNull : isNull;
      }
      case 'ComparisonExpression':
        return this.compare(node, node.operator, this.value(node.left), this.value(node.right), node.left, node.right);
      case 'BetweenExpression': {
        const v = this.value(node.operand);
        const low = this.compare(node, '>=', v, this.value(node.low), node.operand, node.low);
        const high = this.compare(node, '<=', v, this.value(node.high), node.operand, node.high);
        const inside = and3(low, high);
        return node.negated ? not3(inside) : inside;
      }
      case 'InExpression': {
        const v = this.value(node.operand);
        let found: Truth = false;
        for (const item of node.items)
          found = or3(found, this.compare(node, '=', v, this.value(item), node.operand, item));
        return node.negated ? not3(found) : found;
      }
    }
  }

  private column(node: ColumnReference): RowValue {
    const key = findByName(Object.keys(this.row), node.name, (k) => k);
    const [start, end] = rangeOf(node);
    if (key === undefined) {
      const columns = Object.keys(this.row).join(', ') || 'none';
      throw new EvaluationError(
        problem(
          'unknown-column',
          `the result row has no column '${node.name}' (it has ${columns})`,
          'name the column in the SELECT list of the check',
          start,
          end,
        ),
      );
    }
    const value = this.row[key];
    if (value === undefined || (value !== null && !['number', 'bigint', 'string', 'boolean'].includes(typeof value))) {
      throw new EvaluationError(
        problem(
          'type-mismatch',
          `column '${key}' holds a value of an unsupported type`,
          'cast it in the SQL to a number, string or boolean',
          start,
          end,
        ),
      );
    }
    if (!this.values.some((v) => v.name === node.name)) this.values.push({ name: node.name, value });
    return value;
  }

  private number(node: Expression, operator: string): number | bigint | null {
    const v = this.value(node);
    if (v === null || isNumeric(v)) return v;
    throw this.mismatch(
      node,
      `${operator} needs numbers, but ${describe(this.text, node)} is ${kindOf(v)} ${formatValue(v)}`,
    );
  }

  private truth(node: Expression, operator: string): Truth {
    const v = this.value(node);
    if (v === null || typeof v === 'boolean') return v;
    throw this.mismatch(
      node,
      `${operator} needs conditions, but ${describe(this.text, node)} is ${kindOf(v)} ${formatValue(v)}`,
    );
  }

  private compare(
    at: Expression,
    operator: string,
    a: RowValue,
    b: RowValue,
    left: Expression,
    right: Expression,
  ): Truth {
    if (a === null || b === null) return null;
    const order = compareValues(a, b);
    if (order === undefined) {
      throw this.mismatch(
        at,
        `cannot compare ${describe(this.text, left)} (${kindOf(a)} ${formatValue(a)}) with ${describe(this.text, right)} (${kindOf(b)} ${formatValue(b)})`,
      );
    }
    switch (operator) {
      case '=':
        return order === 0;
      case '!=':
      case '<>':
        return order !== 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      default:
        return order >= 0;
    }
  }

  private mismatch(node: Expression, message: string): EvaluationError {
    const [start, end] = rangeOf(node);
    return new EvaluationError(
      problem('type-mismatch', message, 'compare values of the same type; cast in the SQL if needed', start, end),
    );
  }
}
