import { invalidArgument } from '../../domain/errors.js';
import { KEY_SEPARATOR, parseKeyTemplate, type KeyTemplatePart } from '../../domain/key-template.js';

export { renderKey } from '../../domain/key-template.js';

/** `hekima:<tenant>:<product>:v<major>:` — every key of a tenant's product lives under it. */
export function keyPrefix(tenantId: string, product: string, version: string): string {
  const major = /^(\d+)/.exec(version)?.[1] ?? '0';
  return `hekima:${tenantId}:${product}:v${major}:`;
}

/** The parts of `key_template`, or one placeholder per key column (joined by `:`) when there is none. */
export function keyParts(template: string | null, keyColumns: readonly string[]): readonly KeyTemplatePart[] {
  if (template === null) {
    return keyColumns.flatMap((column, i): KeyTemplatePart[] => [
      ...(i > 0 ? [{ kind: 'text' as const, text: KEY_SEPARATOR, start: 0, end: 0 }] : []),
      { kind: 'placeholder' as const, column, start: 0, end: 0 },
    ]);
  }
  const parsed = parseKeyTemplate(template);
  if (!parsed.ok) throw invalidArgument('invalid_key_template', `key_template "${template}": ${parsed.error.message}.`);
  return parsed.parts;
}
