import { NAME_PATTERN, SNAKE_CASE_PATTERN } from '../../domain/manifest/schemas/common.js';

const NAME_RE = new RegExp(NAME_PATTERN);
const SNAKE_RE = new RegExp(SNAKE_CASE_PATTERN);
export const MAX_NAME_LENGTH = 63;

export const PRODUCT_NAME_RULE =
  'a product name is 2 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (pattern ^[a-z0-9][a-z0-9-]*[a-z0-9]$)';

/** Whether `name` follows the product-name rule of product.yaml (metadata.name). */
export function isProductName(name: string): boolean {
  return name.length >= 2 && name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

/**
 * The closest valid product name: lower-cased, camelCase split, every run of other characters
 * turned into one hyphen, trimmed to 63 characters. Undefined when nothing usable is left.
 */
export function suggestProductName(raw: string): string | undefined {
  const words = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const trimmed = words.slice(0, MAX_NAME_LENGTH).replace(/-+$/, '');
  return isProductName(trimmed) ? trimmed : undefined;
}

/** A product name built from parts, shortened to the 63-character limit. */
export function productNameFrom(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('-');
  return joined.slice(0, MAX_NAME_LENGTH).replace(/-+$/, '');
}

/** snake_case form of an input id or product name, for SQL aliases and column prefixes. */
export function snake(id: string): string {
  const s = id
    .replace(/[^a-z0-9_]+/gi, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[a-z_]/.test(s) ? s : `p_${s}`;
}

export function isColumnName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && SNAKE_RE.test(name);
}

/**
 * A column name from a prefix and a suffix that fits the 63-character limit: the prefix is
 * shortened first, since the suffix carries the meaning (`_count`, `_total_amount`).
 */
export function columnName(prefix: string, suffix: string): string {
  const full = prefix === '' ? suffix : `${prefix}_${suffix}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const room = MAX_NAME_LENGTH - suffix.length - 1;
  if (room < 1) return suffix.slice(0, MAX_NAME_LENGTH);
  return `${prefix.slice(0, room).replace(/_+$/, '')}_${suffix}`;
}

/** A name not in `taken`: the name itself, else name_2, name_3 … (kept within 63 characters). */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) {
    const suffix = `_${i}`;
    const candidate = name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
