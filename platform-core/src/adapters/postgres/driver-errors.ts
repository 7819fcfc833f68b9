import { HekimaError, isHekimaError, type ErrorKind } from '../../domain/errors.js';

/**
 * Maps a driver error (pg or PGlite: both carry the SQLSTATE in `code`) to a typed error, once,
 * at the adapter edge. The cause is a sanitised copy: never the statement's parameters or the
 * failing row (PGlite attaches `params`, `detail` may echo values), so logging an error cannot
 * leak data.
 */
const CUSTOM: Readonly<Record<string, [ErrorKind, string]>> = {
  HK001: ['InvalidState', 'invalid_transition'],
  HK002: ['InvalidState', 'immutable_column'],
  HK003: ['Forbidden', 'tenant_not_active'],
  HK004: ['Forbidden', 'append_only'],
  HK005: ['InvalidState', 'audit_head_mismatch'],
};

const EXACT: Readonly<Record<string, [ErrorKind, string]>> = {
  '23505': ['Conflict', 'unique_violation'],
  '23503': ['NotFound', 'reference_not_found'],
  '23514': ['InvalidArgument', 'check_violation'],
  '23502': ['InvalidArgument', 'not_null_violation'],
  '42501': ['Forbidden', 'permission_denied'],
  '40001': ['Transient', 'serialization_failure'],
  '40P01': ['Transient', 'deadlock_detected'],
  '55P03': ['Transient', 'lock_not_available'],
  '57014': ['Cancelled', 'query_canceled'],
};

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

function classify(code: string | undefined, message: string): [ErrorKind, string] {
  if (code === undefined) {
    return /Connection terminated|timeout|closed/i.test(message)
      ? ['Transient', 'connection_failed']
      : ['Permanent', 'database_error'];
  }
  const known = CUSTOM[code] ?? EXACT[code];
  if (known) return known;
  if (NETWORK.has(code) || code.startsWith('08') || code.startsWith('53') || code.startsWith('57P'))
    return ['Transient', 'connection_failed'];
  if (code.startsWith('22')) return ['InvalidArgument', 'invalid_value'];
  if (code.startsWith('42')) return ['Permanent', 'sql_error'];
  return ['Permanent', 'database_error'];
}

export function toHekimaError(error: unknown): HekimaError {
  if (isHekimaError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  const message = text('message') ?? String(error);
  const sqlstate = text('code');
  const [kind, code] = classify(sqlstate, message);
  const cause = Object.assign(new Error(message), { name: 'DatabaseError', ...(sqlstate ? { code: sqlstate } : {}) });
  const details = Object.fromEntries(
    [
      ['sqlstate', sqlstate],
      ['constraint', text('constraint')],
      ['table', text('table')],
      ['column', text('column')],
    ].filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return new HekimaError(kind, code, message, { cause, details });
}

/** The constraint a unique/foreign-key/check violation names, if `error` is one. */
export function violatedConstraint(error: unknown): string | undefined {
  return isHekimaError(error) && typeof error.details?.['constraint'] === 'string'
    ? error.details['constraint']
    : undefined;
}
