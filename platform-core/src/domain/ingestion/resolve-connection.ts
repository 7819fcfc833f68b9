import { permanent } from '../errors.js';
import { isSecretValue, SecretValue } from '../secret-value.js';

/**
 * Resolves the `env:NAME` values of a hekima.yaml connection config from an injected
 * environment: each becomes a SecretValue (it prints as `[redacted]`). A reference to an unset
 * variable is Permanent `secret_env_missing`, naming the key and the variable, never a value.
 */
export function resolveConfigSecrets(
  connection: string,
  config: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const ref = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
      if (!ref?.[1]) return value;
      const plain = env[ref[1]];
      if (plain === undefined)
        throw permanent(
          'secret_env_missing',
          `Connection '${connection}': ${path} reads env:${ref[1]}, which is not set.`,
          { details: { connection, key: path, env: ref[1] } },
        );
      return SecretValue.of(plain);
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}/${i}`));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
    return value;
  };
  return walk(config, '') as Record<string, unknown>;
}

/** A config value as plain text: a SecretValue is revealed (call only where the driver needs it). */
export function settingText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isSecretValue(value)) return value.reveal();
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

export function settingNumber(value: unknown): number | undefined {
  const text = settingText(value);
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
