import { Redis } from 'ioredis';
import { durationSeconds } from '../../domain/duration.js';
import { invalidArgument, throwIfAborted } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import { MASKED } from '../../domain/quality/masking.js';
import type { Logger } from '../../ports/logger.js';
import type {
  ProjectionRequest,
  ProjectionResult,
  ServedReadRequest,
  ServedRows,
  ServingStore,
} from '../../ports/serving-store.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { keyParts, keyPrefix, renderKey } from './redis-keys.js';

export interface RedisServingStoreOptions {
  readonly url: string;
  /** How long the circuit stays open after a failure (default 30 s). */
  readonly cooldownMs?: number;
  /** Connect and command timeout (default 2 s). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

const PIPELINE_ROWS = 1000;

/** Errors that came from Redis itself (connect, pipeline): only these open the circuit. */
const unavailable = new WeakSet<object>();

async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    unavailable.add(error);
    throw error;
  }
}

/**
 * `realtime` endpoints in Redis: one key per row from `key_template` under
 * `hekima:<tenant>:<product>:v<major>:`, the row's `include_columns` as JSON, `ttl` as expiry,
 * written in pipelines as the snapshot's batches stream in (keys of absent rows expire by TTL).
 * A circuit breaker guards Redis: when it is down (a connect or pipeline error) the projection
 * returns `degraded` at once (the run still succeeds). The store keeps nothing in memory: the
 * application records the degraded endpoint in the catalog's pending projections and
 * `retryPendingProjections` projects it again once Redis is back (docs/adr/0013).
 */
export class RedisServingStore implements ServingStore {
  readonly endpoint = 'realtime' as const;
  readonly #breaker: CircuitBreaker;
  #client: Redis | undefined;

  constructor(private readonly options: RedisServingStoreOptions) {
    this.#breaker = new CircuitBreaker(options.cooldownMs ?? 30_000, options.now);
  }

  get circuit(): 'closed' | 'open' | 'half-open' {
    return this.#breaker.state;
  }

  async project(request: ProjectionRequest, signal?: AbortSignal): Promise<ProjectionResult> {
    const prefix = keyPrefix(request.tenantId, request.product, request.version);
    const base = { endpoint: this.endpoint, target: `${prefix}*`, retired: 0 } as const;
    if (!this.#breaker.allows()) {
      return { ...base, status: 'degraded', written: 0, message: this.#degraded() };
    }
    try {
      const written = await this.#write(request, prefix, signal);
      this.#breaker.succeed();
      return { ...base, status: 'served', written };
    } catch (e) {
      throwIfAborted(signal, 'a realtime projection');
      // A snapshot that cannot be read is not Redis being down: it fails the endpoint, not the circuit.
      if (!unavailable.has(e as object)) throw e;
      this.#breaker.fail((e as Error).message);
      this.#drop();
      this.options.logger?.warn?.('realtime serving degraded', {
        product: request.product,
        error: (e as Error).message,
      });
      return { ...base, status: 'degraded', written: 0, message: this.#degraded() };
    }
  }

  async read(request: ServedReadRequest, signal?: AbortSignal): Promise<ServedRows> {
    const template = typeof request.writer['key_template'] === 'string' ? request.writer['key_template'] : null;
    const parts = keyParts(
      template,
      request.columns.filter((c) => c.primary_key).map((c) => c.name),
    );
    const values = Object.fromEntries(request.filters.map((f) => [f.column, f.value]));
    const missing = parts.flatMap((p) =>
      p.kind === 'placeholder' && values[p.column] === undefined ? [p.column] : [],
    );
    if (missing.length > 0)
      throw invalidArgument(
        'filter_incomplete_key',
        `A realtime read needs --filter for every key column: ${missing.join(', ')}.`,
      );
    throwIfAborted(signal, 'a realtime read');
    const text = await (
      await this.#connect()
    ).get(keyPrefix(request.tenantId, request.product, request.version) + renderKey(parts, values));
    const row = text === null ? undefined : (JSON.parse(text) as Record<string, JsonValue>);
    const columns = row ? Object.keys(row) : [];
    const masked =
      row &&
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, request.masked.includes(k) && v !== null ? MASKED : v]),
      );
    return { columns, rows: masked ? [masked] : [] };
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.quit().catch(() => client.disconnect());
  }

  async #write(request: ProjectionRequest, prefix: string, signal?: AbortSignal): Promise<number> {
    const template = typeof request.writer['key_template'] === 'string' ? request.writer['key_template'] : null;
    const parts = keyParts(
      template,
      request.columns.filter((c) => c.primary_key).map((c) => c.name),
    );
    const ttl = typeof request.writer['ttl'] === 'string' ? durationSeconds(request.writer['ttl']) : undefined;
    const declared = Array.isArray(request.writer['columns']) ? request.writer['columns'] : [];
    const include = declared.map((c) => String((c as { name?: unknown }).name));
    const client = await redisCall(() => this.#connect());
    let written = 0;
    for await (const rows of request.rows.batches(signal)) {
      for (let i = 0; i < rows.length; i += PIPELINE_ROWS) {
        throwIfAborted(signal, 'a realtime projection');
        const pipeline = client.pipeline();
        for (const row of rows.slice(i, i + PIPELINE_ROWS)) {
          const value = JSON.stringify(Object.fromEntries(include.map((c) => [c, row[c] ?? null])));
          const key = prefix + renderKey(parts, row);
          if (ttl !== undefined && ttl > 0) pipeline.set(key, value, 'EX', ttl);
          else pipeline.set(key, value);
        }
        const results = await redisCall(async () => {
          const out = (await pipeline.exec()) ?? [];
          const failed = out.find(([error]) => error);
          if (failed?.[0]) throw failed[0];
          return out;
        });
        written += results.length;
      }
    }
    return written;
  }

  async #connect(): Promise<Redis> {
    if (this.#client) return this.#client;
    const timeout = this.options.timeoutMs ?? 2000;
    const client = new Redis(this.options.url, {
      lazyConnect: true,
      connectTimeout: timeout,
      commandTimeout: timeout,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // reported through the failing command
    try {
      await client.connect();
    } catch (e) {
      client.disconnect();
      throw e;
    }
    this.#client = client;
    client.on('end', () => (this.#client === client ? (this.#client = undefined) : undefined));
    return client;
  }

  #drop(): void {
    this.#client?.disconnect();
    this.#client = undefined;
  }

  #degraded(): string {
    const seconds = Math.ceil(this.#breaker.retryInMs() / 1000);
    return `Redis is unavailable (${this.#breaker.lastError ?? 'circuit open'}): realtime serving is degraded, retried in ${seconds}s.`;
  }
}
