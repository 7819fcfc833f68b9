import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretValue, isSecretValue } from '../secret-value.js';
import { assertNewConnection, parseSecretInput, redactConfig } from './connection.js';

describe('secrets and connections', () => {
  it('SecretValue never renders its plaintext, except through reveal()', () => {
    const s = SecretValue.of('p@ss');
    expect(s.reveal()).toBe('p@ss');
    for (const text of [String(s), `${s}`, JSON.stringify({ s }), inspect(s), inspect({ nested: { s } }, { depth: 9 })])
      expect(text).not.toContain('p@ss');
    expect(isSecretValue(s)).toBe(true);
    expect(isSecretValue({ reveal: () => 'x' })).toBe(false);
  });

  it('parses env: references apart from literal values', () => {
    expect(parseSecretInput('env:PG_PASSWORD', SecretValue.of)).toEqual({ env: 'PG_PASSWORD' });
    expect(isSecretValue(parseSecretInput('plain', SecretValue.of))).toBe(true);
  });

  it('refuses literal secrets in config and bad names, naming the key but never the value', () => {
    const check = (config: Record<string, unknown>) => () =>
      assertNewConnection({ name: 'c', connectorType: 'http', config: config as never });
    expect(check({ host: 'h', password: 'env:PW', nested: { token: 'env:T' } })).not.toThrow();
    for (const config of [
      { password: 'hunter2' },
      { auth: { apiKey: 'hunter2' } },
      { list: [{ client_secret: 'hunter2' }] },
    ]) {
      let error: unknown;
      try {
        check(config)();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ kind: 'InvalidArgument', code: 'invalid_connection' });
      expect(inspect(error, { depth: 9 })).not.toContain('hunter2');
    }
    expect(() => assertNewConnection({ name: 'Bad Name', connectorType: 'http' })).toThrow(
      expect.objectContaining({ code: 'invalid_connection' }),
    );
    expect(() => assertNewConnection({ name: 'c', connectorType: 'http', secrets: { pw: { env: 'lower' } } })).toThrow(
      /env/,
    );
  });

  it('redacts configs for logs', () => {
    expect(
      redactConfig({ host: 'h', password: 'x', token: 'env:T', deep: [{ secret: 'y', s: SecretValue.of('z') }] }),
    ).toEqual({
      host: 'h',
      password: '[redacted]',
      token: 'env:T',
      deep: [{ secret: '[redacted]', s: '[redacted]' }],
    });
  });
});
