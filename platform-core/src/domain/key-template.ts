import type { JsonValue } from './json.js';

/**
 * Realtime `key_template`s: literal text with `{column}` placeholders; `{{` and `}}` write a
 * literal brace. Offsets are character offsets into the template. Keys are a contract outside
 * readers compute: the rendering is specified in docs/dev/realtime-keys.md and implemented by
 * `renderKey` below, exactly.
 */
export type KeyTemplatePart =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'placeholder'; readonly column: string; readonly start: number; readonly end: number };

export interface KeyTemplateError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export type KeyTemplateResult =
  | { readonly ok: true; readonly parts: readonly KeyTemplatePart[] }
  | { readonly ok: false; readonly error: KeyTemplateError };

const PLACEHOLDER_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * A template parsed and checked as a contract: its syntax, then that distinct rows render distinct
 * keys (see `checkSeparated`). Every consumer (validation, the schema format, the Redis store) uses this.
 */
export function parseKeyTemplate(template: string): KeyTemplateResult {
  const syntax = parseKeyTemplateSyntax(template);
  return syntax.ok ? checkSeparated(syntax.parts) : syntax;
}

/**
 * The template's syntax only (placeholders, escaped braces), as a highlighter reads it: the
 * separation rule is a meaning, reported by validation, not a token an editor grammar can see.
 */
export function parseKeyTemplateSyntax(template: string): KeyTemplateResult {
  const parts: KeyTemplatePart[] = [];
  let text = '';
  let textStart = 0;
  const flushText = (end: number) => {
    if (text) parts.push({ kind: 'text', text, start: textStart, end });
    text = '';
  };
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      if (!text) textStart = i;
      text += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      if (!text) textStart = i;
      text += '}';
      i += 2;
    } else if (ch === '{') {
      const close = template.indexOf('}', i + 1);
      if (close < 0) return fail('unclosed placeholder: add } or write {{ for a literal brace', i, template.length);
      const name = template.slice(i + 1, close);
      if (name.trim() === '')
        return fail('empty placeholder {}: name an output column inside the braces', i, close + 1);
      if (name.includes('{')) return fail(`'{' inside a placeholder: write {{ for a literal brace`, i, close + 1);
      if (!PLACEHOLDER_NAME.test(name.trim())) {
        return fail(`placeholder '{${name}}' is not a column name (snake_case letters, digits, _)`, i, close + 1);
      }
      flushText(i);
      parts.push({ kind: 'placeholder', column: name.trim(), start: i, end: close + 1 });
      i = close + 1;
    } else if (ch === '}') {
      return fail(`unmatched '}': write }} for a literal brace`, i, i + 1);
    } else {
      if (!text) textStart = i;
      text += ch;
      i += 1;
    }
  }
  flushText(template.length);
  return { ok: true, parts };
}

/** The key separator: a rendered value never contains it unescaped. */
export const KEY_SEPARATOR = ':';
/** The escape character: `\\` and `\:` in a rendered value stand for `\` and `:`. */
export const KEY_ESCAPE = '\\';
/** A NULL value: no escaped text can be `\N` (an escape is followed by `\` or `:` only). */
export const KEY_NULL = '\\N';

/**
 * Distinct rows get distinct keys only when a key can be cut back into its values: consecutive
 * placeholders are separated by text holding the separator, and the template's text has no escape
 * character (it would pair with a value's escapes).
 */
function checkSeparated(parts: readonly KeyTemplatePart[]): KeyTemplateResult {
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.kind === 'text' && part.text.includes(KEY_ESCAPE))
      return fail(
        `'\\' in key_template text: it is the escape character of rendered values; remove it`,
        part.start,
        part.end,
      );
    const next = parts[i + 1];
    if (part.kind === 'placeholder' && next?.kind === 'placeholder')
      return fail(
        `{${part.column}} and {${next.column}} need '${KEY_SEPARATOR}' between them, e.g. {${part.column}}:{${next.column}}: otherwise two rows can render the same key`,
        part.start,
        next.end,
      );
    const after = parts[i + 2];
    if (
      part.kind === 'placeholder' &&
      next?.kind === 'text' &&
      after?.kind === 'placeholder' &&
      !next.text.includes(KEY_SEPARATOR)
    )
      return fail(
        `the text '${next.text}' between {${part.column}} and {${after.column}} needs a '${KEY_SEPARATOR}': otherwise two rows can render the same key`,
        next.start,
        next.end,
      );
  }
  return { ok: true, parts };
}

/**
 * One value as it appears in a key: NULL (or absent) → `\N`; a string with `\` → `\\` and
 * `:` → `\:`; numbers and booleans as JSON writes them; anything else as its JSON text, escaped.
 */
export function renderKeyValue(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return KEY_NULL;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\\:]/g, (c) => KEY_ESCAPE + c);
}

/** Renders a key from a row (or from the values a reader looks up): template text plus rendered values. */
export function renderKey(
  parts: readonly KeyTemplatePart[],
  values: Readonly<Record<string, JsonValue | undefined>>,
): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : renderKeyValue(values[p.column]))).join('');
}

function fail(message: string, start: number, end: number): KeyTemplateResult {
  return { ok: false, error: { message, start, end } };
}

export function placeholders(parts: readonly KeyTemplatePart[]): Extract<KeyTemplatePart, { kind: 'placeholder' }>[] {
  return parts.filter((p): p is Extract<KeyTemplatePart, { kind: 'placeholder' }> => p.kind === 'placeholder');
}
