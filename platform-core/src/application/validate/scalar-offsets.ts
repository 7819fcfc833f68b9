import type { TextRange } from '../../domain/finding.js';
import type { ManifestFile } from './product-unit.js';

export type ScalarStyle = 'plain' | 'single-quoted' | 'double-quoted' | 'block';

/** Where each character of a YAML string value is written in its file. */
export interface ScalarSource {
  readonly file: string;
  readonly style: ScalarStyle;
  /** The range in the file of the value's characters [start, end) (a point when start = end). */
  rangeOf(start: number, end: number): TextRange;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * Maps offsets in the value of the string scalar at `pointer` to offsets in the file, through
 * quotes, escapes (`\"`, `''`), line folding and block indentation. Undefined when the node is
 * not a string scalar or its source does not decode to `value`.
 */
export function scalarSource(manifest: ManifestFile, pointer: string, value: string): ScalarSource | undefined {
  const { doc } = manifest;
  const span = doc.scalarSpan(pointer);
  if (!span) return undefined;
  const style: ScalarStyle = span.block
    ? 'block'
    : !span.quoted
      ? 'plain'
      : doc.text[span.start - 1] === '"'
        ? 'double-quoted'
        : 'single-quoted';
  const aligned = align(doc.text, span.start, span.end, value, style);
  if (!aligned) return undefined;
  const { starts, ends } = aligned;
  return {
    file: manifest.file,
    style,
    rangeOf(start, end) {
      const from = starts[start] ?? ends[start - 1] ?? span.start;
      const to = end > start ? (ends[end - 1] ?? from) : from;
      return doc.rangeAt(from, to);
    },
  };
}

/**
 * Walks value and source together. A value character is matched by the same source character,
 * by an escape that decodes to it, or by `''` in single quotes; source whitespace that matches
 * nothing (indentation, folded line breaks) is skipped.
 */
function align(
  text: string,
  from: number,
  to: number,
  value: string,
  style: ScalarStyle,
): { starts: number[]; ends: number[] } | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  let j = from;
  while (i < value.length) {
    if (j >= to) return undefined;
    const c = text[j] as string;
    if (style === 'double-quoted' && c === '\\') {
      const escape = decodeEscape(text, j);
      if (!escape) return undefined;
      if (escape.decoded === '') {
        j += escape.length; // escaped line break: nothing in the value
        continue;
      }
      if (!value.startsWith(escape.decoded, i)) return undefined;
      for (let k = 0; k < escape.decoded.length; k++) {
        starts[i + k] = j;
        ends[i + k] = j + escape.length;
      }
      i += escape.decoded.length;
      j += escape.length;
    } else if (style === 'single-quoted' && c === "'" && text[j + 1] === "'" && value[i] === "'") {
      starts[i] = j;
      ends[i] = j + 2;
      i += 1;
      j += 2;
    } else if (c === value[i]) {
      starts[i] = j;
      ends[i] = j + 1;
      i += 1;
      j += 1;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      j += 1;
    } else {
      return undefined;
    }
  }
  return { starts, ends };
}

function decodeEscape(text: string, at: number): { decoded: string; length: number } | undefined {
  const kind = text[at + 1];
  if (kind === undefined) return undefined;
  if (kind === '\n' || kind === '\r') {
    let k = at + 2;
    while (k < text.length && /[ \t\r\n]/.test(text[k] as string)) k++;
    return { decoded: '', length: k - at };
  }
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return { decoded: simple, length: 2 };
  const hexLength = HEX_LENGTH[kind];
  if (hexLength === undefined) return undefined;
  const hex = text.slice(at + 2, at + 2 + hexLength);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) return undefined;
  return { decoded: String.fromCodePoint(parseInt(hex, 16)), length: 2 + hexLength };
}

/** How a replacement must be written inside a scalar of a style; undefined when it cannot be safely. */
export function encodeForScalar(text: string, style: ScalarStyle): string | undefined {
  if (text.includes('\n')) return undefined;
  switch (style) {
    case 'double-quoted':
      return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    case 'single-quoted':
      return text.replace(/'/g, "''");
    case 'block':
      return text;
    case 'plain':
      // Inside a plain scalar: no `: `, ` #`, and no quote that could start a quoted scalar.
      return /: | #|^['"]/.test(text) ? undefined : text;
  }
}
