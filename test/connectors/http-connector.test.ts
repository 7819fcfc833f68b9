import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpConnector } from '../../platform-core/src/adapters/connectors/http/http-connector.js';
import { resolveConfigSecrets } from '../../platform-core/src/domain/ingestion/resolve-connection.js';
import type { ConnectorState, ExtractRequest } from '../../platform-core/src/ports/connector.js';
import { readExtract, signal } from './support/read-extract.js';

const ITEMS = [1, 2, 3, 4, 5].map((id) => ({ id, name: `item-${id}`, updated_at: `2026-03-0${id}T00:00:00Z` }));
let server: Server;
let base: string;
let work: string;
const hits = new Map<string, number>();
let extraItems: typeof ITEMS = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = (k: string) => url.searchParams.get(k);
  const path = url.pathname.replace(/^\/api/, '');
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  const json = (body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const all = [...ITEMS, ...extraItems];
  switch (path) {
    case '/page': {
      const page = Number(q('page')),
        size = Number(q('per_page'));
      return json({ data: all.slice((page - 1) * size, page * size) });
    }
    case '/offset':
      return json(all.slice(Number(q('offset')), Number(q('offset')) + Number(q('limit'))));
    case '/cursor': {
      const from = Number(q('cursor') ?? 0);
      const next = from + 2 < all.length ? String(from + 2) : null;
      return json({ result: { rows: all.slice(from, from + 2) }, meta: { next } });
    }
    case '/link': {
      const p = Number(q('p') ?? 1);
      const link: Record<string, string> =
        p < 3 ? { link: `</api/link?p=${p + 1}>; rel="next", </api/link?p=1>; rel="first"` } : {};
      return json({ items: all.slice((p - 1) * 2, p * 2) }, link);
    }
    case '/events': {
      const since = q('since');
      return json(all.filter((i) => since === null || i.updated_at > since));
    }
    case '/limited':
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        return void res.end();
      }
      return json([{ id: 1 }]);
    case '/flaky':
      if (n === 1) {
        res.writeHead(500);
        return void res.end('boom');
      }
      return json([{ id: 1 }]);
    case '/down':
      res.writeHead(503);
      return void res.end();
    case '/secure': {
      const ok =
        req.headers.authorization === 'Bearer s3cret' ||
        req.headers.authorization === `Basic ${Buffer.from('ana:pw').toString('base64')}`;
      if (!ok) {
        res.writeHead(401);
        return void res.end();
      }
      return json([{ id: 42 }]);
    }
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  hits.clear();
  extraItems = [];
  work = await mkdtemp(join(tmpdir(), 'hekima-http-work-'));
  return () => rm(work, { recursive: true, force: true });
});

const waits: number[] = [];
const connector = new HttpConnector({ sleep: async (ms) => void waits.push(ms) });
const request = (
  config: Record<string, unknown>,
  strategy: ExtractRequest['input']['strategy'] = 'api_poll',
  state: ConnectorState | null = null,
  connection: Record<string, unknown> = {},
): ExtractRequest => ({
  connection: { name: 'crm-api', type: 'http', config: { base_url: base, retry_base_ms: 10, ...connection } },
  input: { id: 'items', strategy, config },
  state,
  workDir: work,
  signal: signal(),
});
const ids = async (extract: Parameters<typeof readExtract>[0]) =>
  (await readExtract(extract, 'id')).map((r) => Number(r['id']));

describe('http connector (local server)', () => {
  it.each([
    ['page', { endpoint: '/page', pagination: { type: 'page', size_param: 'per_page', size: 2 } }, 3],
    ['offset', { endpoint: 'offset', pagination: { type: 'offset', limit: 2 } }, 3],
    [
      'cursor',
      { endpoint: 'cursor', records_path: 'result.rows', pagination: { type: 'cursor', cursor_path: 'meta.next' } },
      3,
    ],
    ['link', { endpoint: 'link', pagination: { type: 'link' } }, 3],
  ])('%s pagination reads every page', async (type, config, pages) => {
    const out = await connector.extract(request(config));
    expect(out.mode).toBe('replace');
    expect(await ids(out)).toEqual([1, 2, 3, 4, 5]);
    expect(hits.get(`/${type}`)).toBe(pages);
  });

  it('incremental: the high-water mark is sent and kept, and only newer records are extracted', async () => {
    const cfg = { endpoint: 'events', cursor_field: 'updated_at', cursor_param: 'since', primary_key: 'id' };
    const first = await connector.extract(request(cfg, 'incremental'));
    expect(first.mode).toBe('upsert');
    expect(first.state['cursor']).toBe('2026-03-05T00:00:00Z');
    const none = await connector.extract(request(cfg, 'incremental', first.state));
    expect(none.rowCount).toBe(0);
    expect(none.columns.map((c) => c.name)).toEqual(['id', 'name', 'updated_at']);
    extraItems = [{ id: 6, name: 'item-6', updated_at: '2026-03-06T00:00:00Z' }];
    const next = await connector.extract(request(cfg, 'incremental', none.state));
    expect(await readExtract(next)).toEqual([{ id: '6', name: 'item-6', updated_at: '2026-03-06 00:00:00' }]);
  });

  it('429 with Retry-After waits what the server asks, then succeeds', async () => {
    waits.length = 0;
    const out = await connector.extract(request({ endpoint: 'limited' }));
    expect(out.rowCount).toBe(1);
    expect(waits).toEqual([1000]);
    expect(hits.get('/limited')).toBe(2);
  });

  it('500 then success is retried with a backoff', async () => {
    waits.length = 0;
    const out = await connector.extract(request({ endpoint: 'flaky' }));
    expect(out.rowCount).toBe(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThanOrEqual(10);
  });

  it('attempts are bounded: a server that stays down fails Transient after max_attempts', async () => {
    await expect(
      connector.extract(request({ endpoint: 'down' }, 'api_poll', null, { max_attempts: 3 })),
    ).rejects.toMatchObject({
      kind: 'Transient',
      code: 'http_server_error',
      retryable: true,
    });
    expect(hits.get('/down')).toBe(3);
  });

  it('a Retry-After longer than retry_max_ms ends the attempts with RateLimited(retryAfterMs)', async () => {
    await expect(
      connector.extract(request({ endpoint: 'limited' }, 'api_poll', null, { retry_max_ms: 500 })),
    ).rejects.toMatchObject({
      kind: 'RateLimited',
      retryAfterMs: 1000,
      retryable: true,
    });
  });

  it('check: any answer but 401/403/429/5xx means reachable', async () => {
    const config = { base_url: base };
    await connector.check({ name: 'crm-api', type: 'http', config }, signal());
    await expect(
      connector.check({ name: 'crm-api', type: 'http', config: { ...config, check_endpoint: '/secure' } }, signal()),
    ).rejects.toMatchObject({ kind: 'AuthExpired' });
    await expect(
      connector.check({ name: 'crm-api', type: 'http', config: { ...config, check_endpoint: '/down' } }, signal()),
    ).rejects.toMatchObject({ kind: 'Transient', code: 'http_server_error' });
    const closed = { base_url: 'http://127.0.0.1:1/' };
    await expect(connector.check({ name: 'crm-api', type: 'http', config: closed }, signal())).rejects.toMatchObject({
      code: 'http_unreachable',
    });
  });

  it('a cancelled run stops with Cancelled, also while waiting to retry', async () => {
    const aborted = AbortSignal.abort();
    await expect(connector.extract({ ...request({ endpoint: 'page' }), signal: aborted })).rejects.toMatchObject({
      kind: 'Cancelled',
    });
    const real = new HttpConnector();
    const controller = new AbortController();
    const pending = real.extract({ ...request({ endpoint: 'limited' }), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'Cancelled', code: 'aborted' });
  });

  it('bearer and basic auth from env: secrets; a wrong token is AuthExpired without the secret in the message', async () => {
    const env = { CRM_TOKEN: 's3cret', CRM_PASSWORD: 'pw', WRONG: 'nope-token' };
    const bearer = resolveConfigSecrets('crm-api', { auth_type: 'bearer', token: 'env:CRM_TOKEN' }, env);
    expect(JSON.stringify(bearer)).not.toContain('s3cret');
    expect((await connector.extract(request({ endpoint: 'secure' }, 'api_poll', null, bearer))).rowCount).toBe(1);
    const basic = resolveConfigSecrets(
      'crm-api',
      { auth_type: 'basic', username: 'ana', password: 'env:CRM_PASSWORD' },
      env,
    );
    expect((await connector.extract(request({ endpoint: 'secure' }, 'api_poll', null, basic))).rowCount).toBe(1);
    const wrong = resolveConfigSecrets('crm-api', { auth_type: 'bearer', token: 'env:WRONG' }, env);
    const error = await connector
      .extract(request({ endpoint: 'secure' }, 'api_poll', null, wrong))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'AuthExpired', code: 'http_unauthorized' });
    expect(JSON.stringify(error)).not.toContain('nope-token');
    expect(() => resolveConfigSecrets('crm-api', { token: 'env:UNSET_X' }, env)).toThrow(
      /env:UNSET_X, which is not set/,
    );
  });
});
