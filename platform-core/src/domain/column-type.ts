/**
 * The column types of output.yaml: string, integer, float, decimal(p,s), boolean, date,
 * timestamp, uuid, json, array(T), map(K,V). Parsed into a tree so rules can ask whether a
 * type is numeric and the runtime can map it to engine types.
 */
export type ColumnType =
  | { readonly kind: 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'timestamp' | 'uuid' | 'json' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'map'; readonly key: ColumnType; readonly value: ColumnType };

export const SCALAR_TYPES = ['string', 'integer', 'float', 'boolean', 'date', 'timestamp', 'uuid', 'json'] as const;
export const TYPE_NAMES = [...SCALAR_TYPES, 'decimal(p,s)', 'array(T)', 'map(K,V)'] as const;

export type ColumnTypeResult = { ok: true; type: ColumnType } | { ok: false; error: string };

export function parseColumnType(text: string): ColumnTypeResult {
  const parser = new TypeParser(text.replace(/\s+/g, ''));
  try {
    const type = parser.type();
    if (parser.pos !== parser.text.length) throw new Error(`unexpected '${parser.text.slice(parser.pos)}'`);
    return { ok: true, type };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function isNumericType(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'float' || type.kind === 'decimal';
}

export function formatColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array(${formatColumnType(type.element)})`;
    case 'map':
      return `map(${formatColumnType(type.key)},${formatColumnType(type.value)})`;
    default:
      return type.kind;
  }
}

class TypeParser {
  pos = 0;
  constructor(readonly text: string) {}

  type(): ColumnType {
    const m = /^[a-z_]+/.exec(this.text.slice(this.pos));
    if (!m) throw new Error(`expected a type name at '${this.text.slice(this.pos) || 'end'}'`);
    const name = m[0];
    this.pos += name.length;
    switch (name) {
      case 'decimal': {
        this.expect('(');
        const precision = this.int();
        this.expect(',');
        const scale = this.int();
        this.expect(')');
        if (precision < 1 || precision > 38) throw new Error(`decimal precision ${precision} is outside 1..38`);
        if (scale > precision) throw new Error(`decimal scale ${scale} exceeds precision ${precision}`);
        return { kind: 'decimal', precision, scale };
      }
      case 'array': {
        this.expect('(');
        const element = this.type();
        this.expect(')');
        return { kind: 'array', element };
      }
      case 'map': {
        this.expect('(');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect(')');
        return { kind: 'map', key, value };
      }
      default:
        if ((SCALAR_TYPES as readonly string[]).includes(name)) {
          if (this.text[this.pos] === '(') throw new Error(`'${name}' takes no parameters`);
          return { kind: name as (typeof SCALAR_TYPES)[number] };
        }
        throw new Error(`unknown type '${name}'`);
    }
  }

  private int(): number {
    const m = /^[0-9]+/.exec(this.text.slice(this.pos));
    if (!m) throw new Error(`expected a number at '${this.text.slice(this.pos) || 'end'}'`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) throw new Error(`expected '${ch}' at '${this.text.slice(this.pos) || 'end'}'`);
    this.pos += 1;
  }
}
