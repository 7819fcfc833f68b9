import { invalidArgument } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';
import { isSecretValue, REDACTED, type SecretValue } from '../secret-value.js';

/**
 * A connection to an external system (a database, an API, a bucket). Its `config` holds plain
 * settings only (host, port, database); secrets live apart, either as an `env:NAME` reference
 * (resolved from the environment where the connector runs) or as a value the catalog stores
 * encrypted (AES-256-GCM). Plaintext never appears in a `Connection`; it comes back only from
 * `ConnectionRepository.resolveSecrets`, wrapped in `SecretValue`.
 */

/** A secret as given on creation: an environment reference or a value to store encrypted. */
export type SecretInput = { readonly env: string } | SecretValue;

/** A secret as the catalog reports it: where it comes from, never what it is. */
export type SecretRef = { readonly kind: 'env'; readonly name: string } | { readonly kind: 'stored' };

export interface Connection {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly connectorType: string;
  readonly description?: string;
  readonly teamId?: string;
  readonly config: JsonObject;
  readonly secrets: Readonly<Record<string, SecretRef>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewConnection {
  readonly name: string;
  readonly connectorType: string;
  readonly description?: string;
  readonly teamId?: string;
  readonly config?: JsonObject;
  readonly secrets?: Readonly<Record<string, SecretInput>>;
}

const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
/** Config keys that must never hold a literal value (only an `env:NAME` reference). */
const SENSITIVE_KEY = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential/i;

/** `env:NAME` → `{ env: 'NAME' }`; anything else is a literal secret value. */
export function parseSecretInput(text: string, wrap: (plaintext: string) => SecretValue): SecretInput {
  const env = /^env:(.+)$/.exec(text);
  return env?.[1] !== undefined ? { env: env[1] } : wrap(text);
}

/**
 * Checks a new connection: names, env references, and no literal secret hidden in `config`
 * (a key such as `password` must be a secret or an `env:NAME` string). Messages name the key,
 * never the value. InvalidArgument `invalid_connection`.
 */
export function assertNewConnection(input: NewConnection): void {
  const fail = (message: string) =>
    invalidArgument('invalid_connection', message, { details: { connection: input.name } });
  if (!CONNECTION_NAME.test(input.name)) {
    throw fail(
      `Connection name "${input.name}" is invalid: lowercase letters, digits, "_" or "-", at most 63 characters.`,
    );
  }
  if (!/^[a-z][a-z0-9_-]{0,62}$/.test(input.connectorType))
    throw fail(`Connector type "${input.connectorType}" is invalid.`);
  for (const [name, secret] of Object.entries(input.secrets ?? {})) {
    if (!SECRET_NAME.test(name))
      throw fail(`Secret name "${name}" is invalid: letters, digits and "_", starting with a letter.`);
    if (!isSecretValue(secret) && !ENV_NAME.test(secret.env)) {
      throw fail(`Secret "${name}" references env "${secret.env}": use an upper-case environment variable name.`);
    }
  }
  for (const path of literalSecretsIn(input.config ?? {}, '')) {
    throw fail(`Config key "${path}" looks like a secret: move it to secrets or write it as env:NAME.`);
  }
}

function* literalSecretsIn(value: JsonValue, path: string): Generator<string> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* literalSecretsIn(item as JsonValue, `${path}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const here = `${path}/${key}`;
      if (SENSITIVE_KEY.test(key) && typeof item === 'string' && !item.startsWith('env:')) yield here.slice(1);
      else yield* literalSecretsIn(item, here);
    }
  }
}

/**
 * A loggable copy of any config-like object: values under sensitive-looking keys and every
 * SecretValue become `[redacted]`; `env:NAME` references stay (they are not secrets).
 */
export function redactConfig(value: unknown): unknown {
  if (isSecretValue(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redactConfig);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SENSITIVE_KEY.test(key) && typeof item === 'string' && !item.startsWith('env:') ? REDACTED : redactConfig(item),
    ]),
  );
}
