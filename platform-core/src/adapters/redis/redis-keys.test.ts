import { describe, expect, it } from 'vitest';
import { keyParts, keyPrefix, renderKey } from './redis-keys.js';

describe('realtime keys', () => {
  it('prefixes every key with hekima:<tenant>:<product>:v<major>:', () => {
    expect(keyPrefix('t-1', 'daily-sales', '2.4.1')).toBe('hekima:t-1:daily-sales:v2:');
  });

  it('renders key_template placeholders (literal braces kept, NULL as \\N, separators escaped)', () => {
    const parts = keyParts('outlet:{outlet_id}:{{x}}:{day}', []);
    expect(renderKey(parts, { outlet_id: 'O1', day: null })).toBe('outlet:O1:{x}:\\N');
    expect(renderKey(parts, { outlet_id: 'O:1', day: '' })).toBe('outlet:O\\:1:{x}:');
  });

  it('without a template, joins the key columns with ":"', () => {
    expect(renderKey(keyParts(null, ['a', 'b']), { a: 1, b: 'x' })).toBe('1:x');
  });

  it('rejects an invalid template as InvalidArgument', () => {
    expect(() => keyParts('a:{', [])).toThrow(expect.objectContaining({ code: 'invalid_key_template' }));
  });
});
