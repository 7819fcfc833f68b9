/**
 * A small lexer over SQL text for what the parser cannot tell once it has stopped at a syntax
 * error: where statements start and end, and which word each starts with. It knows comments
 * (`--`, nested `/* *\/`), strings (`'…'` with `''`, E-strings with backslashes, `$tag$…$tag$`)
 * and quoted identifiers, so a `;` or a keyword inside them is not taken for one.
 */

export interface StatementHead {
  /** The first word of the statement, lower-cased ('' when it starts with something else). */
  readonly word: string;
  /** Span of that word (or of the first character when there is no word). */
  readonly wordStart: number;
  readonly wordEnd: number;
  /** Span of the statement from its first token to before its `;`, trailing blanks and comments excluded. */
  readonly start: number;
  readonly end: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** The statements of a SQL text with their first word; empty statements (`;;`) are skipped. */
export function statementHeads(text: string): StatementHead[] {
  const heads: StatementHead[] = [];
  let head: { word: string; wordStart: number; wordEnd: number; start: number } | undefined;
  let lastEnd = 0;
  const close = () => {
    if (head) heads.push({ ...head, end: lastEnd });
    head = undefined;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = blockCommentEnd(text, i);
      continue;
    }
    if (c === ';') {
      close();
      i++;
      continue;
    }
    const start = i;
    if (c === "'") i = quotedEnd(text, i, "'", false);
    else if ((c === 'e' || c === 'E') && next === "'") i = quotedEnd(text, i + 1, "'", true);
    else if (c === '"') i = quotedEnd(text, i, '"', false);
    else if (c === '$' && dollarTag(text, i) !== undefined) i = dollarEnd(text, i, dollarTag(text, i)!);
    else {
      WORD.lastIndex = i;
      const word = WORD.exec(text);
      i = word ? i + word[0].length : i + 1;
    }
    if (!head) {
      WORD.lastIndex = start;
      const word = WORD.exec(text);
      head = word
        ? { word: word[0].toLowerCase(), wordStart: start, wordEnd: start + word[0].length, start }
        : { word: '', wordStart: start, wordEnd: start + 1, start };
    }
    lastEnd = i;
  }
  close();
  return heads;
}

function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** The offset after a quoted run that opens at `from` (doubled quotes escape; backslashes too in E-strings). */
function quotedEnd(text: string, from: number, quote: string, backslashes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

function dollarTag(text: string, from: number): string | undefined {
  const match = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
  match.lastIndex = from;
  const m = match.exec(text);
  return m ? m[0] : undefined;
}

function dollarEnd(text: string, from: number, tag: string): number {
  const end = text.indexOf(tag, from + tag.length);
  return end < 0 ? text.length : end + tag.length;
}
