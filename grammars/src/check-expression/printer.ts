import type { Expression } from '../generated/ast.js';

/** Reserved words of the language; a column with one of these names must be double-quoted. */
export const KEYWORDS: readonly string[] = ['and', 'between', 'false', 'in', 'is', 'not', 'null', 'or', 'true'];

const KEYWORD_SET = new Set(KEYWORDS);
const PLAIN_NAME = /^[_a-zA-Z][_a-zA-Z0-9$]*$/;

/** Binding strength: or 1, and 2, not 3, predicates 4, + - 5, * / 6, unary 7, atoms 8. */
export function precedenceOf(node: Expression): number {
  switch (node.$type) {
    case 'LogicalExpression':
      return node.operator === 'or' ? 1 : 2;
    case 'NotExpression':
      return 3;
    case 'ComparisonExpression':
    case 'IsNullExpression':
    case 'BetweenExpression':
    case 'InExpression':
      return 4;
    case 'ArithmeticExpression':
      return node.operator === '+' || node.operator === '-' ? 5 : 6;
    case 'UnaryExpression':
      return 7;
    default:
      return 8;
  }
}

/** A column name as the language writes it: plain when it can be, else in double quotes. */
export function columnNameText(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORD_SET.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function stringLiteralText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Prints a syntax tree in canonical form (lower-case keywords, single spaces, only the
 * parentheses the precedence needs). Parsing the output gives back the same tree.
 */
export class CheckExpressionPrinter {
  print(node: Expression): string {
    switch (node.$type) {
      case 'LogicalExpression':
      case 'ArithmeticExpression': {
        const own = precedenceOf(node);
        // Left-associative: a right operand of the same strength keeps its parentheses.
        return `${this.operand(node.left, own)} ${node.operator} ${this.operand(node.right, own + 1)}`;
      }
      case 'NotExpression':
        return `not ${this.operand(node.operand, 3)}`;
      case 'ComparisonExpression':
        return `${this.operand(node.left, 5)} ${node.operator} ${this.operand(node.right, 5)}`;
      case 'IsNullExpression':
        return `${this.operand(node.operand, 5)} is ${node.negated ? 'not ' : ''}null`;
      case 'BetweenExpression':
        return `${this.operand(node.operand, 5)} ${node.negated ? 'not ' : ''}between ${this.operand(node.low, 5)} and ${this.operand(node.high, 5)}`;
      case 'InExpression':
        return `${this.operand(node.operand, 5)} ${node.negated ? 'not ' : ''}in (${node.items.map((i) => this.operand(i, 5)).join(', ')})`;
      case 'UnaryExpression': {
        const operand = this.operand(node.operand, 7);
        // `- -1`, not `--1`.
        return operand.startsWith('-') || operand.startsWith('+')
          ? `${node.operator} ${operand}`
          : `${node.operator}${operand}`;
      }
      case 'NumberLiteral':
        return numberText(node.value);
      case 'StringLiteral':
        return stringLiteralText(node.value);
      case 'BooleanLiteral':
        return node.value ? 'true' : 'false';
      case 'NullLiteral':
        return 'null';
      case 'ColumnReference':
        return columnNameText(node.name);
    }
  }

  private operand(node: Expression, minimum: number): string {
    const text = this.print(node);
    return precedenceOf(node) < minimum ? `(${text})` : text;
  }
}

/**
 * A number literal's value as text (`1e+21` is a literal of the language). A literal too large
 * for a double parses to Infinity and prints as `1e999`, which parses back to Infinity.
 */
export function numberText(value: number): string {
  if (value === Infinity) return '1e999';
  if (!(value >= 0)) throw new RangeError(`not a literal of the language: ${value}`);
  return String(value);
}
