import { describe, expect, it } from 'vitest';
import { MASKED, maskRows, mayRead } from './masking.js';

describe('mayRead', () => {
  it('compares the column level with the clearance', () => {
    expect(mayRead('internal', 'internal')).toBe(true);
    expect(mayRead('confidential', 'internal')).toBe(false);
    expect(mayRead('public', 'restricted')).toBe(true);
    expect(mayRead(undefined, undefined)).toBe(true);
  });

  it('fails closed on an unknown clearance or an unknown column level', () => {
    expect(mayRead('internal', undefined)).toBe(false);
    expect(mayRead('internal', 'admin')).toBe(false);
    expect(mayRead('secret', 'confidential')).toBe(false);
    expect(mayRead('secret', 'restricted')).toBe(true);
  });
});

describe('maskRows', () => {
  const rows = [{ id: 1, email: 'a@x.io', note: null, extra: 'x' }];

  it('masks cells above the clearance, keeps NULLs, and applies the product level to unnamed columns', () => {
    expect(
      maskRows(rows, { id: 'public', email: 'restricted', note: 'restricted' }, 'internal', 'confidential'),
    ).toEqual([{ id: 1, email: MASKED, note: null, extra: MASKED }]);
    expect(maskRows(rows, { id: 'public', email: 'restricted' }, 'restricted', 'confidential')).toEqual(rows);
  });
});
