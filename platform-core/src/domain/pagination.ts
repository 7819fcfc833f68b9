import { invalidArgument } from './errors.js';

/**
 * Cursor pagination (manifest-format §17): newest first (`created_at DESC, id DESC`), `limit`
 * 1–100 (default 20), `after` or `before` an opaque cursor (never both). The cursor encodes the
 * position `(createdAt, id)` of a row as base64url JSON; clients must treat it as opaque.
 */
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export interface PageRequest {
  readonly limit?: number;
  /** Rows after this cursor (older rows: the next page). */
  readonly after?: string;
  /** Rows before this cursor (newer rows: the previous page). */
  readonly before?: string;
}

export interface PageInfo {
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
  /** Pass as `after` to get the next (older) page; present when `hasNext`. */
  readonly nextCursor?: string;
  /** Pass as `before` to get the previous (newer) page; present when `hasPrevious`. */
  readonly previousCursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly pageInfo: PageInfo;
}

/** The position of a row in the `created_at DESC, id DESC` order. */
export interface CursorPosition {
  /** ISO 8601 instant with millisecond precision. */
  readonly createdAt: string;
  readonly id: string;
}

export interface PageQuery {
  readonly limit: number;
  readonly direction: 'after' | 'before' | 'first';
  readonly position?: CursorPosition;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(JSON.stringify([position.createdAt, position.id]));
}

/** Decodes a cursor; throws InvalidArgument `invalid_cursor` for anything this module did not produce. */
export function decodeCursor(cursor: string): CursorPosition {
  const bad = () =>
    invalidArgument('invalid_cursor', 'The pagination cursor is not valid; use a cursor from a previous page.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !ISO_INSTANT.test(createdAt) || Number.isNaN(Date.parse(createdAt))) throw bad();
  if (typeof id !== 'string' || !isUuid(id)) throw bad();
  return { createdAt, id: id.toLowerCase() };
}

/** Validates a request: limit 1–100 (InvalidArgument `invalid_limit`), not both cursors (`cursor_conflict`). */
export function toPageQuery(request: PageRequest = {}): PageQuery {
  const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidArgument(
      'invalid_limit',
      `limit must be an integer from 1 to ${MAX_PAGE_LIMIT} (got ${String(limit)}).`,
      {
        details: { limit, max: MAX_PAGE_LIMIT },
      },
    );
  }
  if (request.after !== undefined && request.before !== undefined) {
    throw invalidArgument('cursor_conflict', 'Pass either after or before, not both.');
  }
  if (request.after !== undefined) return { limit, direction: 'after', position: decodeCursor(request.after) };
  if (request.before !== undefined) return { limit, direction: 'before', position: decodeCursor(request.before) };
  return { limit, direction: 'first' };
}

/**
 * Builds a page from the rows a store fetched for `query`: at most `limit + 1` rows in the query's
 * scan order (DESC for first/after, ASC for before), plus whether any row lies on the other side
 * of the cursor, the cursor's own row included (`beyondCursor`; false without a cursor). An empty
 * page carries no cursors: start again from the first page.
 */
export function toPage<T>(
  query: PageQuery,
  fetched: readonly T[],
  positionOf: (item: T) => CursorPosition,
  beyondCursor: boolean,
): Page<T> {
  const more = fetched.length > query.limit;
  const slice = fetched.slice(0, query.limit);
  const items = query.direction === 'before' ? slice.reverse() : slice;
  const hasNext = query.direction === 'before' ? beyondCursor : more;
  const hasPrevious = query.direction === 'before' ? more : query.direction === 'after' && beyondCursor;
  const first = items[0];
  const last = items[items.length - 1];
  return {
    items,
    pageInfo: {
      hasNext,
      hasPrevious,
      ...(hasNext && last !== undefined ? { nextCursor: encodeCursor(positionOf(last)) } : {}),
      ...(hasPrevious && first !== undefined ? { previousCursor: encodeCursor(positionOf(first)) } : {}),
    },
  };
}

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return atob(padded);
}
