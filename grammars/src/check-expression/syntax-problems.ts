import type { LangiumCoreServices } from 'langium';
import type { IToken } from './error-messages.js';
import { problem, type ExpressionProblem } from './problems.js';

type ParseResult = ReturnType<LangiumCoreServices['parser']['LangiumParser']['parse']>;
type Lexer = LangiumCoreServices['parser']['Lexer'];

const COMPARISON = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

/**
 * The syntax problems of a parse: every lexer error, or else the first parser error (later
 * parser errors are mostly consequences of the first). Each gets a range inside the text and a hint.
 */
export function syntaxProblems(text: string, result: ParseResult, lexer: Lexer): ExpressionProblem[] {
  if (text.trim() === '') {
    return [
      problem(
        'syntax',
        'the expression is empty',
        'write a condition over the result columns, e.g. failures = 0',
        0,
        text.length,
      ),
    ];
  }
  if (result.lexerErrors.length > 0) {
    return result.lexerErrors.map((e) => {
      const start = e.offset;
      const char = text.charAt(start);
      const end = char === "'" || char === '"' ? text.length : start + Math.max(1, e.length);
      return lexerProblem(text, e.message, start, end);
    });
  }
  const first = result.parserErrors[0];
  if (!first) return [];
  const token = first.token;
  const [start, end] = tokenRange(text, token, lexer);
  return [
    problem('syntax', first.message, parserHint(text, token, start), start, end, replacementFor(text, start, end)),
  ];
}

function lexerProblem(text: string, message: string, start: number, end: number): ExpressionProblem {
  const found = text.slice(start, end);
  if (found.startsWith("'"))
    return problem(
      'syntax',
      message,
      "strings are written in single quotes; write '' for a quote inside one",
      start,
      end,
    );
  if (found.startsWith('"'))
    return problem('syntax', message, 'double quotes name a column; strings use single quotes', start, end);
  const two = text.slice(start, start + 2);
  if (two === '&&') return problem('syntax', message, 'write and to combine conditions', start, start + 2, 'and');
  if (two === '||') return problem('syntax', message, 'write or to combine alternatives', start, start + 2, 'or');
  if (found.startsWith('!'))
    return problem(
      'syntax',
      message,
      'write not to negate a condition, or != for "not equal"',
      start,
      start + 1,
      'not ',
    );
  return problem(
    'syntax',
    message,
    'use SQL operators: = != <> < <= > >= + - * / and, or, not, is null, between, in',
    start,
    end,
  );
}

/** [start, end) of a token; for the end of input, the last real token (where something is missing). */
function tokenRange(text: string, token: IToken, lexer: Lexer): [number, number] {
  if (token.tokenType.name !== 'EOF' && Number.isFinite(token.startOffset)) {
    return [token.startOffset, (token.endOffset ?? token.startOffset) + 1];
  }
  const last = lexer.tokenize(text).tokens.at(-1);
  if (last) return [last.startOffset, (last.endOffset ?? last.startOffset) + 1];
  const trimmed = text.trimEnd().length;
  return [Math.max(0, trimmed - 1), trimmed];
}

function parserHint(text: string, token: IToken, start: number): string {
  const name = token.tokenType.name;
  if (name === '=' && text.slice(start - 1, start + 1) === '==') return 'SQL compares with a single =';
  if (COMPARISON.has(name) && precededByPredicate(text, start)) {
    return 'comparisons do not chain: combine them with and (a < b and b < c), or parenthesize one side';
  }
  if (name === 'EOF') return 'complete the expression';
  if (name === 'ID' || name === 'NUMBER' || name === 'STRING' || name === 'QUOTED_ID') {
    return 'two values need an operator between them (=, <, +, and, …)';
  }
  return 'check the expression against the grammar: values, operators (= != <> < <= > >= + - * /), and, or, not, is null, between, in';
}

function replacementFor(text: string, start: number, end: number): string | undefined {
  // `a == b`: the parser stops at the second '='; drop it.
  if (text.slice(start - 1, end) === '==') return '';
  return undefined;
}

/** Whether a comparison operator at `offset` follows a complete comparison (a chained comparison). */
function precededByPredicate(text: string, offset: number): boolean {
  return /(?:[=<>]|!=)\s*[^=<>!\s]+\s*$/.test(text.slice(0, offset));
}
