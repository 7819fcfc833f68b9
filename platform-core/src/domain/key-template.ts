/**
 * Realtime `key_template`s: literal text with `{column}` placeholders; `{{` and `}}` write a
 * literal brace. Offsets are character offsets into the template.
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

export function parseKeyTemplate(template: string): KeyTemplateResult {
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

function fail(message: string, start: number, end: number): KeyTemplateResult {
  return { ok: false, error: { message, start, end } };
}

export function placeholders(parts: readonly KeyTemplatePart[]): Extract<KeyTemplatePart, { kind: 'placeholder' }>[] {
  return parts.filter((p): p is Extract<KeyTemplatePart, { kind: 'placeholder' }> => p.kind === 'placeholder');
}
