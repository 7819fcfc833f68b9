import type { SqlSpan } from '../../ports/sql-analyzer.js';
import { SqlTokens } from './sql-tokens.js';
import type { TextOffsets } from './text-offsets.js';

/** The token at a syntax error's position; at the end of the input, the last token written. */
export function errorSpan(offsets: TextOffsets, position: number): SqlSpan {
  const text = offsets.text;
  const contentEnd = text.trimEnd().length;
  if (contentEnd === 0) return { start: 0, end: text.length };
  const atEnd = position >= contentEnd;
  const at = atEnd ? contentEnd - 1 : Math.max(0, position);
  const tokens = SqlTokens.scan(offsets);
  const token = atEnd ? tokens?.lastBefore(contentEnd) : tokens?.tokenAt(at);
  if (token !== undefined) return { start: token.start, end: token.end };
  // The scanner rejects the text (e.g. an unterminated string): take the run of non-blank characters.
  let start = at;
  if (atEnd) while (start > 0 && !isBlank(text[start - 1])) start--;
  let end = at + 1;
  while (end < text.length && !isBlank(text[end])) end++;
  return { start, end };
}

function isBlank(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}
