import { invalidArgument, permanent } from '../../../domain/errors.js';
import { settingNumber, settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { HttpPage } from './http-fetcher.js';

/**
 * `ingestion_config.pagination` of an http input (absent: one request):
 *   {type: page,   page_param: page,     size_param?: per_page, size?: 100, start: 1}
 *   {type: offset, offset_param: offset, limit_param: limit,    limit: 100, start: 0}
 *   {type: cursor, cursor_param: cursor, cursor_path: next_cursor}   (dotted path in the body)
 *   {type: link}                                   follows `Link: <…>; rel="next"`
 * and for all: `max_pages` (default 1000; more is an error, never a silent truncation).
 * page/offset stop at a page with fewer records than `size`/`limit` (or none); cursor stops when
 * the body has no next cursor; link when there is no rel="next".
 * Records are at `ingestion_config.records_path` (dotted), else the body when it is an array,
 * else the first array among `data`, `items`, `results`, `records`.
 */
export interface Paginator {
  /** The URL of the first page. */
  first(base: URL): URL;
  /** The next page's URL, or undefined when this page was the last. */
  next(page: HttpPage, records: number): URL | undefined;
}

export function paginator(config: unknown): Paginator {
  if (config === undefined || config === null) return { first: (u) => u, next: () => undefined };
  const c = config as Record<string, unknown>;
  const type = settingText(c['type']);
  const text = (k: string, d: string) => settingText(c[k]) ?? d;
  const num = (k: string) => settingNumber(c[k]);
  const withParam = (url: URL, key: string, value: string) => {
    const u = new URL(url);
    u.searchParams.set(key, value);
    return u;
  };
  switch (type) {
    case 'page': {
      const param = text('page_param', 'page');
      const size = num('size');
      const sizeParam = settingText(c['size_param']);
      const start = num('start') ?? 1;
      let n = start;
      return {
        first: (u) => {
          n = start;
          const first = withParam(u, param, String(n));
          return sizeParam && size !== undefined ? withParam(first, sizeParam, String(size)) : first;
        },
        next: (page, records) =>
          records === 0 || (size !== undefined && records < size) ? undefined : withParam(page.url, param, String(++n)),
      };
    }
    case 'offset': {
      const offsetParam = text('offset_param', 'offset');
      const limitParam = text('limit_param', 'limit');
      const limit = num('limit') ?? 100;
      const start = num('start') ?? 0;
      let offset = start;
      return {
        first: (u) => {
          offset = start;
          return withParam(withParam(u, offsetParam, String(offset)), limitParam, String(limit));
        },
        next: (page, records) => {
          if (records < limit) return undefined;
          offset += records;
          return withParam(page.url, offsetParam, String(offset));
        },
      };
    }
    case 'cursor': {
      const param = text('cursor_param', 'cursor');
      const path = text('cursor_path', 'next_cursor');
      return {
        first: (u) => u,
        next: (page) => {
          const value = at(page.body, path);
          return value === undefined || value === null || value === ''
            ? undefined
            : withParam(page.url, param, String(value));
        },
      };
    }
    case 'link':
      return { first: (u) => u, next: (page) => nextLink(page.headers.get('link'), page.url) };
    default:
      throw invalidArgument('pagination_invalid', `pagination.type "${type}" is not page, offset, cursor or link.`);
  }
}

/** The rel="next" target of a Link header, resolved against the request URL. */
export function nextLink(header: string | null, base: URL): URL | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(m?.[2] ?? '')?.[1];
    if (m?.[1] !== undefined && rel?.toLowerCase().split(/\s+/).includes('next')) return new URL(m[1], base);
  }
  return undefined;
}

export function at(body: unknown, path: string): unknown {
  let v: unknown = body;
  for (const key of path.split('.').filter(Boolean)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function recordsOf(body: unknown, recordsPath: string | undefined, where: string): Record<string, unknown>[] {
  const found = recordsPath
    ? at(body, recordsPath)
    : Array.isArray(body)
      ? body
      : ['data', 'items', 'results', 'records'].map((k) => at(body, k)).find(Array.isArray);
  if (found === undefined || found === null) {
    if (body === null) return [];
    throw permanent(
      'http_records_missing',
      `${where}: no records array in the response (set ingestion_config.records_path).`,
    );
  }
  if (!Array.isArray(found)) throw permanent('http_records_missing', `${where}: "${recordsPath}" is not an array.`);
  return found.map((r) =>
    r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : { value: r },
  );
}
