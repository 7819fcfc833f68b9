import { describe, expect, it } from 'vitest';
import { evaluateFitness, fitnessError } from './fitness.js';
import { resolveConfigSecrets, settingText } from './resolve-connection.js';
import { assertRunnable } from './not-supported.js';

const facts = {
  rowCount: 4,
  columns: [
    { name: 'id', type: 'BIGINT' },
    { name: 'at', type: 'TIMESTAMP' },
  ],
  nulls: { id: 1 },
  newestMs: { at: Date.parse('2026-03-01T00:00:00Z') },
  expectedColumns: ['id'],
  nowMs: Date.parse('2026-03-01T02:00:00Z'),
};

describe('evaluateFitness', () => {
  it('measures each function against its threshold; severity defaults to error', () => {
    const results = evaluateFitness(
      [
        { type: 'row_count_min', threshold: 5 },
        { type: 'null_ratio_max', column: 'id', threshold: 0.25 },
        { type: 'freshness', column: 'at', max_age: '1h', severity: 'warn' },
        { type: 'schema_match' },
      ],
      facts,
    );
    expect(results.map((r) => [r.type, r.severity, r.passed, r.measured])).toEqual([
      ['row_count_min', 'error', false, 4],
      ['null_ratio_max', 'error', true, 0.25],
      ['freshness', 'warn', false, 7200],
      ['schema_match', 'error', true, null],
    ]);
    const error = fitnessError(
      'raw',
      results.filter((r) => !r.passed && r.severity === 'error'),
    );
    expect(error).toMatchObject({ kind: 'QualityGateFailed', code: 'fitness_failed', retryable: true });
    expect(error.message).toBe('Input "raw" failed fitness at ingestion: row_count_min: 4 rows (minimum 5)');
  });

  it('schema_match reports missing expected columns, vanished and retyped columns', () => {
    const [r] = evaluateFitness([{ type: 'schema_match' }], {
      ...facts,
      expectedColumns: ['id', 'name'],
      previousColumns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'gone', type: 'VARCHAR' },
      ],
    });
    expect(r?.measured).toBe('missing "name"; "id" changed type INTEGER → BIGINT; "gone" disappeared');
  });

  it('a column a check names that the extract lacks fails the check', () => {
    const [r] = evaluateFitness([{ type: 'null_ratio_max', column: 'nope', threshold: 0 }], facts);
    expect(r).toMatchObject({ passed: false, message: 'column "nope" is not in the extract' });
  });
});

describe('connection secrets and runnable strategies', () => {
  it('resolves env: references into redacted SecretValues', () => {
    const config = resolveConfigSecrets(
      'erp',
      { host: 'h', password: 'env:PW', nested: { token: 'env:TK' } },
      { PW: 'p', TK: 't' },
    );
    expect(JSON.stringify(config)).toBe('{"host":"h","password":"[redacted]","nested":{"token":"[redacted]"}}');
    expect(settingText(config['password'])).toBe('p');
    expect(() => resolveConfigSecrets('erp', { password: 'env:NOPE' }, {})).toThrow(
      expect.objectContaining({
        code: 'secret_env_missing',
        message: "Connection 'erp': password reads env:NOPE, which is not set.",
      }),
    );
  });

  it('follows domain/connectors.ts: runnable types run, the others are connector_not_supported', () => {
    expect(() => assertRunnable('file', 'file_watch')).not.toThrow();
    expect(() => assertRunnable('http', 'api_poll')).not.toThrow();
    expect(() => assertRunnable('postgres', 'cdc')).toThrow(
      expect.objectContaining({ code: 'connector_not_supported' }),
    );
    expect(() => assertRunnable('mysql', 'full_refresh')).toThrow(
      expect.objectContaining({ code: 'connector_not_supported' }),
    );
    expect(() => assertRunnable('http', 'cdc')).toThrow(expect.objectContaining({ code: 'strategy_not_supported' }));
  });
});
