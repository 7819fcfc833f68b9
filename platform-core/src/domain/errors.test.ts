import { describe, expect, it } from 'vitest';
import {
  ERROR_KINDS,
  HekimaError,
  abortError,
  errorFromJSON,
  hasErrorKind,
  isHekimaError,
  isRetryable,
  notFound,
  qualityGateFailed,
  rateLimited,
  transient,
} from './errors.js';

describe('typed errors', () => {
  it('carry kind, code, message, cause and retryable', () => {
    const cause = new Error('socket hang up');
    const e = transient('connection_failed', 'the catalog did not answer', { cause, details: { host: 'db' } });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'HekimaError',
      kind: 'Transient',
      code: 'connection_failed',
      retryable: true,
      details: { host: 'db' },
    });
    expect(e.cause).toBe(cause);
    expect(notFound('x', 'y').retryable).toBe(false);
    expect(qualityGateFailed('gate', 'blocking check failed').retryable).toBe(true);
    expect(new HekimaError('Permanent', 'p', 'm', { retryable: true }).retryable).toBe(true);
  });

  it('are recognised by brand, not instanceof (a copy of the class from another bundle still counts)', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('hekima.error')]: true,
      kind: 'NotFound',
      code: 'c',
      retryable: false,
    });
    expect(isHekimaError(foreign)).toBe(true);
    expect(hasErrorKind(foreign, 'NotFound')).toBe(true);
    expect(isHekimaError(new Error('plain'))).toBe(false);
    expect(isHekimaError({ kind: 'NotFound' })).toBe(false);
    expect(isRetryable(transient('t', 't'))).toBe(true);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });

  it('survive a process boundary through JSON, causes included', () => {
    for (const kind of ERROR_KINDS) {
      const original = new HekimaError(kind, `${kind.toLowerCase()}_code`, `a ${kind}`, {
        cause: rateLimited('inner', 'slow down', {
          retryAfterMs: 1500,
          cause: Object.assign(new Error('HTTP 429'), { code: 'E429' }),
        }),
        details: { n: 1 },
      });
      const wire = JSON.parse(JSON.stringify(original));
      const back = errorFromJSON(wire);
      expect(isHekimaError(back)).toBe(true);
      expect(back.toJSON()).toEqual(original.toJSON());
      expect(back).toMatchObject({
        kind,
        code: original.code,
        message: original.message,
        retryable: original.retryable,
      });
      expect(hasErrorKind(back.cause, 'RateLimited') && back.cause.retryAfterMs).toBe(1500);
      expect(((back.cause as HekimaError).cause as Error & { code?: string }).code).toBe('E429');
    }
  });

  it('turns anything unreadable into a Permanent unknown_error', () => {
    expect(errorFromJSON('nope')).toMatchObject({ kind: 'Permanent', code: 'unknown_error' });
    expect(errorFromJSON({ kind: 'Weird', code: 'x', message: 'm' })).toMatchObject({
      kind: 'Permanent',
      code: 'unknown_error',
      message: 'm',
    });
  });

  it('maps an aborted signal to Cancelled', () => {
    const controller = new AbortController();
    controller.abort(new Error('user pressed ^C'));
    expect(abortError(controller.signal, 'run')).toMatchObject({
      kind: 'Cancelled',
      code: 'aborted',
      retryable: false,
      message: 'run was cancelled',
    });
  });
});
