import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toHekimaError } from './driver-errors.js';

const dbError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`error ${code}`), { code, ...extra });

describe('driver errors', () => {
  it('maps SQLSTATEs to typed errors', () => {
    const cases: [string, string, string][] = [
      ['23505', 'Conflict', 'unique_violation'],
      ['23503', 'NotFound', 'reference_not_found'],
      ['23514', 'InvalidArgument', 'check_violation'],
      ['42501', 'Forbidden', 'permission_denied'],
      ['40001', 'Transient', 'serialization_failure'],
      ['40P01', 'Transient', 'deadlock_detected'],
      ['57014', 'Cancelled', 'query_canceled'],
      ['08006', 'Transient', 'connection_failed'],
      ['57P01', 'Transient', 'connection_failed'],
      ['ECONNREFUSED', 'Transient', 'connection_failed'],
      ['22P02', 'InvalidArgument', 'invalid_value'],
      ['42P01', 'Permanent', 'sql_error'],
      ['HK001', 'InvalidState', 'invalid_transition'],
      ['HK003', 'Forbidden', 'tenant_not_active'],
      ['HK004', 'Forbidden', 'append_only'],
      ['XX000', 'Permanent', 'database_error'],
    ];
    for (const [sqlstate, kind, code] of cases)
      expect(toHekimaError(dbError(sqlstate)), sqlstate).toMatchObject({ kind, code });
    expect(toHekimaError(new Error('Connection terminated unexpectedly'))).toMatchObject({ kind: 'Transient' });
  });

  it('keeps the constraint but drops parameters and row values from the cause', () => {
    const e = toHekimaError(
      dbError('23505', {
        constraint: 'teams_name_key',
        table: 'teams',
        detail: 'Key (name)=(s3cret) exists',
        params: ['s3cret'],
        query: 'INSERT …',
      }),
    );
    expect(e.details).toEqual({ sqlstate: '23505', constraint: 'teams_name_key', table: 'teams' });
    expect(inspect(e, { depth: 10 }) + JSON.stringify(e.toJSON())).not.toContain('s3cret');
  });
});
