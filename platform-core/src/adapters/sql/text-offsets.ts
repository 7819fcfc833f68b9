/**
 * Converts the offsets libpg-query reports into JS string (UTF-16 code unit) offsets.
 *
 * The parse tree and the scanner report UTF-8 byte offsets; a syntax error's cursor position is
 * counted in characters (code points), as PostgreSQL computes it. Both coincide with JS offsets
 * for ASCII text, which is the common case and needs no tables.
 */
export class TextOffsets {
  private readonly byteToUnit: Uint32Array | undefined;
  private readonly codePointToUnit: Uint32Array | undefined;

  constructor(readonly text: string) {
    if (isAscii(text)) {
      this.byteToUnit = undefined;
      this.codePointToUnit = undefined;
      return;
    }
    const bytes: number[] = [];
    const codePoints: number[] = [];
    let unit = 0;
    while (unit < text.length) {
      const codePoint = text.codePointAt(unit) ?? 0;
      const units = codePoint > 0xffff ? 2 : 1;
      codePoints.push(unit);
      for (let b = utf8Length(codePoint); b > 0; b--) bytes.push(unit);
      unit += units;
    }
    bytes.push(text.length);
    codePoints.push(text.length);
    this.byteToUnit = Uint32Array.from(bytes);
    this.codePointToUnit = Uint32Array.from(codePoints);
  }

  /** The JS offset of a UTF-8 byte offset (clamped to the text). */
  fromByte(byteOffset: number): number {
    return lookup(this.byteToUnit, byteOffset, this.text.length);
  }

  /** The JS offset of a code point offset (clamped to the text). */
  fromCodePoint(codePointOffset: number): number {
    return lookup(this.codePointToUnit, codePointOffset, this.text.length);
  }
}

function lookup(table: Uint32Array | undefined, offset: number, length: number): number {
  const clamped = Math.max(0, Math.trunc(offset));
  if (table === undefined) return Math.min(clamped, length);
  return table[Math.min(clamped, table.length - 1)] ?? length;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Bytes of a code point in UTF-8 (lone surrogates are encoded as three bytes, like U+FFFD). */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
