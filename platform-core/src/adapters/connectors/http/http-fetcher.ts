import {
  authExpired,
  cancelled,
  forbidden,
  isHekimaError,
  permanent,
  rateLimited,
  transient,
  type HekimaError,
} from '../../../domain/errors.js';
import type { HttpSettings } from './http-settings.js';
import { TokenBucket, type Sleep } from './token-bucket.js';

export interface HttpPage {
  readonly url: URL;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * GETs JSON with the connection's auth, rate limit, timeout and retries: 429 and 5xx and
 * network failures are retried up to `maxAttempts`, waiting what Retry-After asks (seconds or
 * an HTTP date) or an exponential backoff with jitter. When attempts run out (or Retry-After asks
 * for more than `retryMaxMs`) the error is RateLimited (with retryAfterMs) or Transient, so
 * the runner's own retry can take over. URLs in messages never carry credentials.
 */
export class HttpFetcher {
  private readonly bucket: TokenBucket | undefined;

  constructor(
    private readonly connection: string,
    private readonly settings: HttpSettings,
    private readonly sleep: Sleep,
    now: () => number,
    private readonly random: () => number = Math.random,
  ) {
    this.bucket = settings.rateLimitRps ? new TokenBucket(settings.rateLimitRps, now, sleep) : undefined;
  }

  async get(
    url: URL,
    signal: AbortSignal,
    maxAttempts = this.settings.maxAttempts,
  ): Promise<HttpPage & { status: number }> {
    let last: HekimaError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (signal.aborted)
        throw cancelled('aborted', `Connection '${this.connection}': cancelled`, { cause: signal.reason });
      await this.bucket?.take(signal);
      let wait: number;
      try {
        const response = await fetch(url, {
          headers: this.settings.headers,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]),
          redirect: 'follow',
        });
        if (response.ok)
          return {
            url,
            status: response.status,
            headers: response.headers,
            body: await readJson(response, this.where(url)),
          };
        const retryAfter = retryAfterMs(response.headers.get('retry-after'), Date.now());
        await response.body?.cancel().catch(() => undefined);
        last = statusError(response.status, this.where(url), retryAfter);
        if (!last.retryable) throw last;
        wait = retryAfter ?? this.backoff(attempt);
        if (wait > this.settings.retryMaxMs) throw last;
      } catch (e) {
        if (isHekimaError(e)) throw e;
        if (signal.aborted)
          throw cancelled('aborted', `Connection '${this.connection}': cancelled`, { cause: signal.reason });
        const timedOut = (e as Error).name === 'TimeoutError';
        last = transient(
          timedOut ? 'http_timeout' : 'http_unreachable',
          `${this.where(url)}: ${timedOut ? `timeout after ${this.settings.timeoutMs / 1000}s` : (e as Error).message}`,
          { cause: e },
        );
        wait = this.backoff(attempt);
      }
      if (attempt < maxAttempts) await this.sleep(wait, signal);
    }
    throw last ?? transient('http_failed', `${this.connection}: request failed`);
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private where(url: URL): string {
    return `Connection '${this.connection}': GET ${url.origin}${url.pathname}`;
  }
}

/** Retry-After in milliseconds: delta seconds or an HTTP date (undefined when absent or invalid). */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function statusError(status: number, where: string, retryAfter: number | undefined): HekimaError {
  const details = { status };
  if (status === 429)
    return rateLimited('http_rate_limited', `${where}: 429 Too Many Requests`, {
      details,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    });
  if (status >= 500)
    return transient('http_server_error', `${where}: HTTP ${status}`, {
      details,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    });
  if (status === 401)
    return authExpired('http_unauthorized', `${where}: 401 Unauthorized (check the credentials)`, { details });
  if (status === 403) return forbidden('http_forbidden', `${where}: 403 Forbidden`, { details });
  return permanent('http_client_error', `${where}: HTTP ${status}`, { details });
}

async function readJson(response: Response, where: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw permanent('http_invalid_json', `${where}: the response is not JSON`, { cause: e });
  }
}
