import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage, toPageQuery } from './pagination.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = '2026-11-23T10:00:00.000Z';

describe('cursor pagination', () => {
  it('round-trips an opaque base64url cursor', () => {
    const cursor = encodeCursor({ createdAt: at, id: id(7) });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ createdAt: at, id: id(7) });
  });

  it('rejects cursors it did not make', () => {
    for (const bad of [
      '',
      '%%%',
      btoa('[1,2]'),
      encodeCursor({ createdAt: 'yesterday', id: id(1) }),
      encodeCursor({ createdAt: at, id: 'x' }),
    ]) {
      expect(() => decodeCursor(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    }
  });

  it('validates limits and cursor combinations', () => {
    expect(toPageQuery()).toEqual({ limit: 20, direction: 'first' });
    expect(toPageQuery({ limit: 100 }).limit).toBe(100);
    for (const limit of [0, 101, 2.5, Number.NaN])
      expect(() => toPageQuery({ limit })).toThrow(expect.objectContaining({ code: 'invalid_limit' }));
    const c = encodeCursor({ createdAt: at, id: id(1) });
    expect(() => toPageQuery({ after: c, before: c })).toThrow(expect.objectContaining({ code: 'cursor_conflict' }));
    expect(toPageQuery({ before: c })).toMatchObject({ direction: 'before', position: { id: id(1) } });
  });

  it('builds pages: one extra row means another page; `before` pages come back newest first', () => {
    const rows = [1, 2, 3].map((n) => ({ id: id(n), createdAt: at }));
    const first = toPage(toPageQuery({ limit: 2 }), rows, (r) => r, false);
    expect(first.items).toEqual(rows.slice(0, 2));
    expect(first.pageInfo).toEqual({ hasNext: true, hasPrevious: false, nextCursor: encodeCursor(rows[1]!) });
    const before = toPage(
      toPageQuery({ limit: 2, before: encodeCursor(rows[0]!) }),
      [rows[2]!, rows[1]!],
      (r) => r,
      true,
    );
    expect(before.items).toEqual([rows[1], rows[2]]);
    expect(before.pageInfo).toEqual({ hasNext: true, hasPrevious: false, nextCursor: encodeCursor(rows[2]!) });
    const empty = toPage(toPageQuery({ after: encodeCursor(rows[2]!) }), [], (r) => r, true);
    expect(empty).toEqual({ items: [], pageInfo: { hasNext: false, hasPrevious: true } });
  });
});
