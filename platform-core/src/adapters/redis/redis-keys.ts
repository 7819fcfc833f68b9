import { invalidArgument } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import { parseKeyTemplate, type KeyTemplatePart } from '../../domain/key-template.js';

/** `hekima:<tenant>:<product>:v<major>:` — every key of a tenant's product lives under it. */
export function keyPrefix(tenantId: string, product: string, version: string): string {
  const major = /^(\d+)/.exec(version)?.[1] ?? '0';
  return `hekima:${tenantId}:${product}:v${major}:`;
}

/** The parts of `key_template`, or one placeholder per key column when there is none. */
export function keyParts(template: string | null, keyColumns: readonly string[]): readonly KeyTemplatePart[] {
  if (template === null) {
    return keyColumns.flatMap((column, i): KeyTemplatePart[] => [
      ...(i > 0 ? [{ kind: 'text' as const, text: ':', start: 0, end: 0 }] : []),
      { kind: 'placeholder' as const, column, start: 0, end: 0 },
    ]);
  }
  const parsed = parseKeyTemplate(template);
  if (!parsed.ok) throw invalidArgument('invalid_key_template', `key_template "${template}": ${parsed.error.message}.`);
  return parsed.parts;
}

const cell = (value: JsonValue | undefined): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** Renders a key from a row (or from filter values): NULL renders as the empty string. */
export function renderKey(
  parts: readonly KeyTemplatePart[],
  values: Readonly<Record<string, JsonValue | undefined>>,
): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : cell(values[p.column]))).join('');
}
