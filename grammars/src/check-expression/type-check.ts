import type { ColumnReference, Expression } from '../generated/ast.js';
import { findByName, nearestName, type ExpressionContext, type ValueType } from './context.js';
import { stringLiteralText } from './printer.js';
import { problem, type ExpressionProblem } from './problems.js';
import { describe, rangeOf } from './source-text.js';

/** A static type, plus `null` for the null literal (and expressions that are always null). */
export type Inferred = ValueType | 'null';

/** One type-checking pass over a tree: infers the type of each node and collects problems. */
export class TypeCheck {
  readonly problems: ExpressionProblem[] = [];

  constructor(
    private readonly text: string,
    private readonly context: ExpressionContext,
  ) {}

  report(
    code: ExpressionProblem['code'],
    message: string,
    hint: string,
    start: number,
    end: number,
    replacement?: string,
  ): void {
    this.problems.push(problem(code, message, hint, start, end, replacement));
  }

  typeOf(node: Expression): Inferred {
    switch (node.$type) {
      case 'NumberLiteral': {
        if (!Number.isFinite(node.value))
          this.at(
            node,
            'number-out-of-range',
            `number ${describe(this.text, node)} is out of range`,
            'write a number below 1.8e308',
          );
        return 'number';
      }
      case 'StringLiteral':
        return 'string';
      case 'BooleanLiteral':
        return 'boolean';
      case 'NullLiteral':
        return 'null';
      case 'ColumnReference':
        return this.column(node);
      case 'UnaryExpression':
        return this.numeric(node.operand, `'${node.operator}'`);
      case 'ArithmeticExpression': {
        const left = this.numeric(node.left, `'${node.operator}'`);
        const right = this.numeric(node.right, `'${node.operator}'`);
        if (left === 'null' || right === 'null') {
          this.at(
            node,
            'always-null',
            `${describe(this.text, node)} is always null (arithmetic with null gives null)`,
            'remove the null, or use a column or a number',
          );
        }
        return 'number';
      }
      case 'NotExpression':
        this.condition(node.operand, "'not'");
        return 'boolean';
      case 'LogicalExpression':
        this.condition(node.left, `'${node.operator}'`);
        this.condition(node.right, `'${node.operator}'`);
        return 'boolean';
      case 'IsNullExpression':
        this.typeOf(node.operand);
        return 'boolean';
      case 'ComparisonExpression':
        this.comparison(node);
        return 'boolean';
      case 'BetweenExpression':
        this.between(node);
        return 'boolean';
      case 'InExpression':
        this.inList(node);
        return 'boolean';
    }
  }

  private at(
    node: Expression,
    code: ExpressionProblem['code'],
    message: string,
    hint: string,
    replacement?: string,
  ): void {
    const [start, end] = rangeOf(node);
    this.report(code, message, hint, start, end, replacement);
  }

  private column(node: ColumnReference): Inferred {
    const columns = this.context.columns;
    if (!columns) return 'unknown';
    const found = findByName(columns, node.name, (c) => c.name);
    if (found) return found.type ?? 'unknown';
    const names = columns.map((c) => c.name);
    const nearest = nearestName(node.name, names);
    const quotedString = rangeText(this.text, node).startsWith('"');
    const listed =
      names.length > 0 ? `the check's SQL returns ${names.join(', ')}` : "the check's SQL returns no named columns";
    const alias =
      (this.context.unnamed?.length ?? 0) > 0 || names.length === 0
        ? '; name a result column with AS, e.g. SELECT COUNT(*) AS failures'
        : '';
    const stringHint =
      quotedString && !nearest
        ? `; double quotes name a column: for a string write ${stringLiteralText(node.name)}`
        : '';
    this.at(
      node,
      'unknown-column',
      `unknown column '${node.name}'${nearest ? `: did you mean '${nearest}'?` : ''}`,
      `${listed}${alias}${stringHint}`,
      nearest ?? (quotedString ? stringLiteralText(node.name) : undefined),
    );
    return 'unknown';
  }

  private numeric(node: Expression, operator: string): Inferred {
    const type = this.typeOf(node);
    if (type === 'string' || type === 'boolean') {
      this.at(
        node,
        'type-mismatch',
        `${operator} needs numbers, but ${describe(this.text, node)} is a ${type}`,
        'arithmetic works on numbers only',
      );
    }
    return type === 'null' ? 'null' : 'number';
  }

  private condition(node: Expression, operator: string): void {
    const type = this.typeOf(node);
    if (type === 'number' || type === 'string') {
      this.at(
        node,
        'type-mismatch',
        `${operator} needs conditions, but ${describe(this.text, node)} is a ${type}`,
        `compare it, e.g. ${describe(this.text, node)} = ${type === 'number' ? '0' : "'ok'"}`,
      );
    }
  }

  private comparison(node: Extract<Expression, { $type: 'ComparisonExpression' }>): void {
    const left = this.typeOf(node.left);
    const right = this.typeOf(node.right);
    if (left === 'null' || right === 'null') {
      const other = left === 'null' ? node.right : node.left;
      const negated = node.operator === '!=' || node.operator === '<>';
      const equality = negated || node.operator === '=';
      const fix = equality ? `${rangeText(this.text, other)} is ${negated ? 'not ' : ''}null` : undefined;
      this.at(
        node,
        'always-null',
        `${describe(this.text, node)} is never true: a comparison with null is null`,
        `test for null with ${negated ? 'is not null' : 'is null'}`,
        fix,
      );
      return;
    }
    this.comparable(node, node.left, left, node.right, right);
  }

  private between(node: Extract<Expression, { $type: 'BetweenExpression' }>): void {
    const operand = this.typeOf(node.operand);
    const low = this.typeOf(node.low);
    const high = this.typeOf(node.high);
    if (operand === 'null' || low === 'null' || high === 'null') {
      this.at(
        node,
        'always-null',
        `${describe(this.text, node)} is never true: a bound or value is null`,
        'use numbers, strings or columns as bounds',
      );
      return;
    }
    this.comparable(node, node.operand, operand, node.low, low);
    this.comparable(node, node.operand, operand, node.high, high);
  }

  private inList(node: Extract<Expression, { $type: 'InExpression' }>): void {
    const operand = this.typeOf(node.operand);
    for (const item of node.items) {
      const type = this.typeOf(item);
      if (type === 'null') {
        const message = node.negated
          ? `${describe(this.text, node)} is never true: with null in the list, not in gives null or false`
          : `null in an in-list never matches: ${describe(this.text, item)} compares with =`;
        this.at(
          item,
          'always-null',
          message,
          node.negated
            ? 'remove null from the list'
            : `remove null and add: or ${describe(this.text, node.operand)} is null`,
        );
      } else if (operand !== 'null') {
        this.comparable(item, node.operand, operand, item, type);
      }
    }
    if (operand === 'null')
      this.at(
        node,
        'always-null',
        `${describe(this.text, node)} is never true: null is never in a list`,
        'test for null with is null',
      );
  }

  private comparable(at: Expression, a: Expression, ta: Inferred, b: Expression, tb: Inferred): void {
    if (ta === 'unknown' || tb === 'unknown' || ta === tb || ta === 'null' || tb === 'null') return;
    this.at(
      at,
      'type-mismatch',
      `cannot compare ${describe(this.text, a)} (a ${ta}) with ${describe(this.text, b)} (a ${tb})`,
      'compare values of the same type: numbers with numbers, strings with strings, conditions with true or false',
    );
  }
}

function rangeText(text: string, node: Expression): string {
  const [start, end] = rangeOf(node);
  return text.slice(start, end);
}
