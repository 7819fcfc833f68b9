/**
 * Typed errors of the runtime. Expected problems in manifests are findings (data); failures are
 * these errors: a kind (what happened, and whether retrying can help), a stable snake_case `code`
 * (which exact failure), a message, a cause and `retryable`. Recognise them with `isHekimaError`
 * / `hasErrorKind` (a brand check: bundles may duplicate classes, so never `instanceof`). They
 * survive a process boundary through `toJSON()` / `errorFromJSON()`.
 */
export const ERROR_KINDS = [
  'Transient',
  'RateLimited',
  'AuthExpired',
  'Permanent',
  'SchemaIncompatible',
  'QualityGateFailed',
  'Cancelled',
  'NotFound',
  'Conflict',
  'InvalidState',
  'InvalidArgument',
  'Forbidden',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Whether retrying the same work can succeed, per kind. Transient and RateLimited (as in Hakiri);
 * QualityGateFailed too, because the seed's DLQ guide retries quality-gate failures before parking
 * them. AuthExpired needs new credentials first, so it is not retried blindly.
 */
export const RETRYABLE_BY_KIND: Readonly<Record<ErrorKind, boolean>> = {
  Transient: true,
  RateLimited: true,
  AuthExpired: false,
  Permanent: false,
  SchemaIncompatible: false,
  QualityGateFailed: true,
  Cancelled: false,
  NotFound: false,
  Conflict: false,
  InvalidState: false,
  InvalidArgument: false,
  Forbidden: false,
};

const BRAND = Symbol.for('hekima.error');

export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface HekimaErrorOptions {
  readonly cause?: unknown;
  /** Overrides the kind's default. */
  readonly retryable?: boolean;
  /** Machine-readable context (ids, limits); never secrets. */
  readonly details?: ErrorDetails;
  /** RateLimited: how long to wait before retrying. */
  readonly retryAfterMs?: number;
}

/** The JSON form of an error, as it crosses a process boundary. */
export interface ErrorJSON {
  readonly name: 'HekimaError';
  readonly kind: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: ErrorDetails;
  readonly retryAfterMs?: number;
  readonly cause?: ErrorJSON | { readonly name: string; readonly message: string; readonly code?: string };
}

export class HekimaError extends Error {
  readonly [BRAND] = true;
  override readonly name = 'HekimaError';
  readonly retryable: boolean;
  readonly details?: ErrorDetails;
  readonly retryAfterMs?: number;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options: HekimaErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_BY_KIND[kind];
    if (options.details !== undefined) this.details = options.details;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  toJSON(): ErrorJSON {
    return {
      name: 'HekimaError',
      kind: this.kind,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.cause === undefined ? {} : { cause: causeToJSON(this.cause) }),
    };
  }
}

function causeToJSON(cause: unknown): NonNullable<ErrorJSON['cause']> {
  if (isHekimaError(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: cause.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(cause) };
}

/** Brand check: true for a HekimaError from any copy of this module. */
export function isHekimaError(value: unknown): value is HekimaError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function hasErrorKind(value: unknown, kind: ErrorKind): value is HekimaError {
  return isHekimaError(value) && value.kind === kind;
}

/** Whether a failure may be retried: a retryable HekimaError; anything else (a bug) is not. */
export function isRetryable(value: unknown): boolean {
  return isHekimaError(value) && value.retryable;
}

/** Rebuilds an error from its JSON form (another process, a queue payload, a DLQ entry). */
export function errorFromJSON(json: unknown): HekimaError {
  const j = json as Partial<ErrorJSON> | null;
  if (!j || typeof j !== 'object' || typeof j.code !== 'string' || !ERROR_KINDS.includes(j.kind as ErrorKind)) {
    return new HekimaError('Permanent', 'unknown_error', typeof j?.message === 'string' ? j.message : 'unknown error');
  }
  const cause =
    j.cause === undefined
      ? undefined
      : (j.cause as Partial<ErrorJSON>).name === 'HekimaError'
        ? errorFromJSON(j.cause)
        : Object.assign(
            new Error(j.cause.message),
            { name: j.cause.name },
            'code' in j.cause ? { code: j.cause.code } : {},
          );
  return new HekimaError(j.kind as ErrorKind, j.code, String(j.message ?? ''), {
    cause,
    ...(typeof j.retryable === 'boolean' ? { retryable: j.retryable } : {}),
    ...(j.details === undefined ? {} : { details: j.details }),
    ...(typeof j.retryAfterMs === 'number' ? { retryAfterMs: j.retryAfterMs } : {}),
  });
}

type Factory = (code: string, message: string, options?: HekimaErrorOptions) => HekimaError;
const factory =
  (kind: ErrorKind): Factory =>
  (code, message, options) =>
    new HekimaError(kind, code, message, options);

/** Short constructors, one per kind: `notFound('team_not_found', 'no team "x"')`. */
export const transient = factory('Transient');
export const rateLimited = factory('RateLimited');
export const authExpired = factory('AuthExpired');
export const permanent = factory('Permanent');
export const schemaIncompatible = factory('SchemaIncompatible');
export const qualityGateFailed = factory('QualityGateFailed');
export const cancelled = factory('Cancelled');
export const notFound = factory('NotFound');
export const conflict = factory('Conflict');
export const invalidState = factory('InvalidState');
export const invalidArgument = factory('InvalidArgument');
export const forbidden = factory('Forbidden');

/** The error to throw when an AbortSignal fired: Cancelled, with the signal's reason as cause. */
export function abortError(signal: AbortSignal, what = 'operation'): HekimaError {
  return cancelled('aborted', `${what} was cancelled`, { cause: signal.reason });
}

/** Throws `abortError` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}
