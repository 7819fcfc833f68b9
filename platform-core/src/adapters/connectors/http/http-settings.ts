import { invalidArgument } from '../../../domain/errors.js';
import { settingNumber, settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { ResolvedConnection } from '../../../ports/connector.js';

/**
 * Settings of an `http` connection (hekima.yaml `config`):
 *   base_url          required; endpoints are relative to it
 *   auth_type         none (default) | bearer (`token`) | basic (`username`, `password`)
 *   token, password   only as env:NAME references
 *   headers           extra request headers (object)
 *   timeout_seconds   per request (default 30)
 *   rate_limit_rps    token bucket, requests per second (default: unlimited)
 *   max_attempts      per request, on 429, 5xx and network errors (default 5)
 *   retry_base_ms     first backoff; doubles each attempt, with jitter (default 500)
 *   retry_max_ms      longest wait in-process, also the cap a Retry-After may ask (default 30000);
 *                     a longer Retry-After ends the attempts with RateLimited(retryAfterMs)
 */
export interface HttpSettings {
  readonly baseUrl: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly rateLimitRps?: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export function httpSettings(connection: ResolvedConnection): HttpSettings {
  const c = connection.config;
  const base = settingText(c['base_url']);
  if (!base)
    throw invalidArgument('connection_config_missing', `Connection '${connection.name}' needs config.base_url.`);
  let baseUrl: URL;
  try {
    baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch (e) {
    throw invalidArgument('connection_config_invalid', `Connection '${connection.name}': base_url is not a URL.`, {
      cause: e,
    });
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const extra = c['headers'];
  if (extra !== null && typeof extra === 'object')
    for (const [k, v] of Object.entries(extra)) {
      const text = settingText(v);
      if (text !== undefined) headers[k.toLowerCase()] = text;
    }
  const auth = settingText(c['auth_type']) ?? 'none';
  if (auth === 'bearer') {
    const token = settingText(c['token']);
    if (!token)
      throw invalidArgument(
        'connection_config_missing',
        `Connection '${connection.name}': bearer auth needs config.token.`,
      );
    headers['authorization'] = `Bearer ${token}`;
  } else if (auth === 'basic') {
    const user = settingText(c['username']) ?? '';
    const pass = settingText(c['password']) ?? '';
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else if (auth !== 'none')
    throw invalidArgument(
      'connection_config_invalid',
      `Connection '${connection.name}': auth_type "${auth}" is not none, bearer or basic.`,
    );
  const rps = settingNumber(c['rate_limit_rps']);
  return {
    baseUrl,
    headers,
    timeoutMs: (settingNumber(c['timeout_seconds']) ?? 30) * 1000,
    ...(rps !== undefined && rps > 0 ? { rateLimitRps: rps } : {}),
    maxAttempts: Math.max(1, Math.floor(settingNumber(c['max_attempts']) ?? 5)),
    retryBaseMs: settingNumber(c['retry_base_ms']) ?? 500,
    retryMaxMs: settingNumber(c['retry_max_ms']) ?? 30_000,
  };
}
