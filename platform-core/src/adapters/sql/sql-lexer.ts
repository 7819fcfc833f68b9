/**
 * A small SQL lexer for token extents (PostgreSQL lexical rules): the parse tree gives only
 * start locations, and the spans of names and select items need their ends. It is not a
 * validator — the parser has already accepted the text — so it only has to split tokens the way
 * PostgreSQL does. Offsets are JS string offsets. About 20× faster than libpg-query's scanner,
 * which also returns UTF-8 byte offsets that must be converted.
 */
export interface LexToken {
  readonly start: number;
  readonly end: number;
  /** Lower-cased keyword when the token is a PostgreSQL reserved keyword. */
  readonly reserved: string | undefined;
}

/** PostgreSQL's RESERVED_KEYWORD category. */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic ' +
    'when where window with'
  ).split(' '),
);

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const NON_ARITH = '~!@#%^&|`?';

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The tokens of a SQL text, or undefined when a quoted token or comment is not closed. */
export function lexSql(text: string): LexToken[] | undefined {
  const tokens: LexToken[] = [];
  const n = text.length;
  let i = 0;
  let open = false;
  const push = (start: number, end: number, reserved?: string) => tokens.push({ start, end, reserved });
  /** `end` of a quoted token, or -1 when it is not closed. */
  const closed = (end: number, _closer: string) => {
    if (end < 0) open = true;
    return end < 0 ? n : end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
      i++;
    } else if (ch === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) open = true;
    } else if (ch === '"') {
      const start = i;
      i = closed(quoted(text, i, '"'), '"');
      push(start, i);
    } else if (ch === "'") {
      const start = i;
      i = closed(quoted(text, i, "'"), "'");
      push(start, i);
    } else if (
      (ch === 'e' || ch === 'E' || ch === 'b' || ch === 'B' || ch === 'x' || ch === 'X') &&
      text[i + 1] === "'"
    ) {
      const start = i;
      i = closed(ch === 'e' || ch === 'E' ? escapedString(text, i + 1) : quoted(text, i + 1, "'"), "'");
      push(start, i);
    } else if ((ch === 'u' || ch === 'U') && text[i + 1] === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      const start = i;
      i = closed(quoted(text, i + 2, text[i + 2]!), text[i + 2]!);
      push(start, i);
    } else if (ch === '$' && isDigit(text.charCodeAt(i + 1))) {
      const start = i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      push(start, i);
    } else if (ch === '$') {
      const start = i;
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        if (close < 0) open = true;
        i = close < 0 ? n : close + m[0].length;
      } else i++;
      push(start, i);
    } else if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)/.exec(
        text.slice(i, i + 128),
      );
      i += Math.max(1, m?.[0].length ?? 1);
      push(start, i);
    } else if (isIdentStart(c)) {
      const start = i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i).toLowerCase();
      push(start, i, RESERVED.has(word) ? word : undefined);
    } else if (ch === ':' && text[i + 1] === ':') {
      push(i, i + 2);
      i += 2;
    } else if (OPERATOR_CHARS.includes(ch)) {
      const start = i;
      let end = i;
      while (end < n && OPERATOR_CHARS.includes(text[end]!)) {
        if ((text[end] === '-' && text[end + 1] === '-') || (text[end] === '/' && text[end + 1] === '*')) break;
        end++;
      }
      if (end === start) end = start + 1;
      // PostgreSQL: a multi-character operator ends in + or - only if it contains ~!@#%^&|`?.
      let op = text.slice(start, end);
      while (op.length > 1 && /[+-]$/.test(op) && ![...op].some((x) => NON_ARITH.includes(x))) op = op.slice(0, -1);
      i = start + op.length;
      push(start, i);
    } else {
      push(i, i + 1);
      i++;
    }
  }
  return open ? undefined : tokens;
}

/** End offset (exclusive) of a quoted token that starts at `open` with the quote `q` (doubled quotes escape), or -1. */
function quoted(text: string, open: number, q: string): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === q) {
      if (text[i + 1] === q) i += 2;
      else return i + 1;
    } else i++;
  }
  return -1;
}

/** E'…' strings: backslash escapes as well as doubled quotes. */
function escapedString(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === "'") {
      if (text[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return -1;
}
