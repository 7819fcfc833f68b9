import { lexSql } from './sql-lexer.js';
import type { SqlSpan } from '../../ports/sql-analyzer.js';
import type { TextOffsets } from './text-offsets.js';

/** A lexical token of the SQL text, with JS string offsets. */
export interface Token extends SqlSpan {
  readonly text: string;
  /** The lower-cased keyword when the token is a reserved keyword. */
  readonly reserved: string | undefined;
}

/** Reserved keywords that end a select-list item when they appear outside parentheses. */
const ITEM_TERMINATORS = new Set([
  'from',
  'into',
  'where',
  'group',
  'having',
  'window',
  'order',
  'limit',
  'offset',
  'fetch',
  'for',
  'union',
  'intersect',
  'except',
  'returning',
  'qualify',
]);
/** Keyword pairs in which the second word does not start a clause (`IS DISTINCT FROM`, `WITHIN GROUP`). */
const CONTINUATIONS: Readonly<Record<string, string>> = { from: 'distinct', group: 'within' };
const OPENERS = new Set(['(', '[']);
const CLOSERS = new Set([')', ']']);

/**
 * The tokens of a SQL text (comments dropped), used to find the extent of things the parse tree
 * only gives a start location for: names, select-list items, `USING (…)` column lists.
 */
export class SqlTokens {
  private constructor(private readonly tokens: readonly Token[]) {}

  /** No tokens: every lookup falls back to the bare parse-tree locations. */
  static empty(): SqlTokens {
    return new SqlTokens([]);
  }

  /** Splits the text into tokens (comments dropped) with the PostgreSQL lexical rules. */
  static scan(offsets: TextOffsets): SqlTokens | undefined {
    const text = offsets.text;
    const lexed = lexSql(text);
    if (!lexed) return undefined;
    return new SqlTokens(
      lexed.map((t) => ({ start: t.start, end: t.end, text: text.slice(t.start, t.end), reserved: t.reserved })),
    );
  }

  /** The token that starts at (or else contains) the offset. */
  tokenAt(offset: number): Token | undefined {
    const index = this.indexAt(offset);
    return index === undefined ? undefined : this.tokens[index];
  }

  /** The last token that starts before the offset. */
  lastBefore(offset: number): Token | undefined {
    return this.tokens.findLast((t) => t.start < offset);
  }

  /**
   * The parts of the dotted name that starts at the offset (`schema."table"`, `t.col`, `t.*`):
   * up to `parts` name tokens separated by dots.
   */
  dottedName(offset: number, parts: number): Token[] {
    const start = this.indexAt(offset);
    const names: Token[] = [];
    if (start === undefined) return names;
    for (let i = start; i < this.tokens.length && names.length < parts; i += 2) {
      const token = this.tokens[i];
      if (token === undefined) break;
      names.push(token);
      if (this.tokens[i + 1]?.text !== '.') break;
    }
    return names;
  }

  /** The dotted name whose last part starts at the offset (`schema.table` located at `table`). */
  dottedNameEndingAt(offset: number, parts: number): Token[] {
    let index = this.indexAt(offset);
    if (index === undefined) return [];
    for (let k = 1; k < parts && this.tokens[index - 1]?.text === '.' && index >= 2; k++) index -= 2;
    return this.dottedName(this.tokens[index]!.start, parts);
  }

  /**
   * The extent of the select-list or VALUES item that starts at the offset: up to the next comma,
   * closing parenthesis or clause keyword outside parentheses (and CASE … END).
   */
  listItem(offset: number): SqlSpan {
    const first = this.indexAt(offset);
    if (first === undefined) return { start: offset, end: offset };
    let depth = 0;
    let last = first;
    for (let i = first; i < this.tokens.length; i++) {
      const token = this.tokens[i]!;
      if (depth === 0 && i > first && this.endsItem(i)) break;
      if (OPENERS.has(token.text) || token.reserved === 'case') depth++;
      else if (CLOSERS.has(token.text) || (token.reserved === 'end' && depth > 0)) {
        if (depth === 0) break;
        depth--;
      }
      last = i;
    }
    return { start: this.tokens[first]!.start, end: this.tokens[last]!.end };
  }

  /** The item without a trailing `[AS] alias`. */
  withoutAlias(item: SqlSpan): SqlSpan {
    const aliasIndex = this.indexAt(item.end - 1);
    if (aliasIndex === undefined) return item;
    const beforeAlias = this.tokens[aliasIndex - 1]?.reserved === 'as' ? aliasIndex - 2 : aliasIndex - 1;
    const last = this.tokens[beforeAlias];
    if (last === undefined || last.end <= item.start) return item;
    return { start: item.start, end: last.end };
  }

  /**
   * The extent of the function call whose (dotted) name starts at the offset: from the name to
   * the parenthesis that closes its argument list. Undefined when the tokens do not show one.
   */
  call(offset: number, nameParts: number): SqlSpan | undefined {
    const name = this.dottedName(offset, nameParts);
    const first = name[0];
    const last = name[name.length - 1];
    if (first === undefined || last === undefined) return undefined;
    let i = this.indexAt(last.start);
    if (i === undefined || this.tokens[i + 1]?.text !== '(') return undefined;
    let depth = 0;
    for (i += 1; i < this.tokens.length; i++) {
      const text = this.tokens[i]!.text;
      if (OPENERS.has(text)) depth++;
      else if (CLOSERS.has(text) && --depth === 0) return { start: first.start, end: this.tokens[i]!.end };
    }
    return undefined;
  }

  /** The span of the tokens in [start, end), `;` excluded; undefined when there are none. */
  within(start: number, end: number): SqlSpan | undefined {
    const inside = this.tokens.filter((t) => t.start >= start && t.end <= end && t.text !== ';');
    const first = inside[0];
    const last = inside[inside.length - 1];
    return first === undefined || last === undefined ? undefined : { start: first.start, end: last.end };
  }

  /** The spans of the statements: the tokens between top-level `;`, the `;` excluded. */
  statements(): SqlSpan[] {
    const spans: SqlSpan[] = [];
    let first: Token | undefined;
    let last: Token | undefined;
    for (const token of this.tokens) {
      if (token.text === ';') {
        if (first !== undefined && last !== undefined) spans.push({ start: first.start, end: last.end });
        first = last = undefined;
      } else {
        first ??= token;
        last = token;
      }
    }
    if (first !== undefined && last !== undefined) spans.push({ start: first.start, end: last.end });
    return spans;
  }

  /** The column-name tokens of the first `USING ( … )` clause at or after the offset. */
  usingColumns(offset: number): Token[] {
    const using = this.tokens.findIndex(
      (t, i) => t.start >= offset && t.reserved === 'using' && this.tokens[i + 1]?.text === '(',
    );
    if (using < 0) return [];
    const names: Token[] = [];
    for (let i = using + 2; i < this.tokens.length; i++) {
      const token = this.tokens[i]!;
      if (token.text === ')') break;
      if (token.text !== ',') names.push(token);
    }
    return names;
  }

  private endsItem(index: number): boolean {
    const token = this.tokens[index]!;
    if (token.text === ',' || token.text === ';') return true;
    const keyword = token.reserved ?? (token.text.toLowerCase() === 'qualify' ? 'qualify' : undefined);
    if (keyword === undefined || !ITEM_TERMINATORS.has(keyword)) return false;
    const previous = this.tokens[index - 1]?.text.toLowerCase();
    return previous !== 'as' && (CONTINUATIONS[keyword] === undefined || CONTINUATIONS[keyword] !== previous);
  }

  private indexAt(offset: number): number | undefined {
    let low = 0;
    let high = this.tokens.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const token = this.tokens[mid]!;
      if (offset < token.start) high = mid - 1;
      else if (offset >= token.end) low = mid + 1;
      else return mid;
    }
    return undefined;
  }
}
