import { toPointer, type PointerSegment } from '../../../../domain/json-pointer.js';
import { isObject } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { listEntries, workspaceReplaceFix } from './workspace-file.js';

const SECRET_WORDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apikey',
  'access_key',
  'secret_access_key',
  'private_key',
  'client_secret',
  'credentials',
];
const ENV_PREFIX = 'env:';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 8;
const SHELL_REFERENCE = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

/** Whether a config key looks like it holds a secret: one of the words, or ending in _<word> (db_password). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/-/g, '_');
  return SECRET_WORDS.some((w) => k === w || k.endsWith(`_${w}`));
}

/** An environment variable name derived from a connection name and a key: shop-db + password → SHOP_DB_PASSWORD. */
export function envNameFor(...parts: string[]): string {
  const name = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[0-9]/.test(name) || name === '' ? `_${name}` : name;
}

export const wsp001SecretInConfig = defineRule({
  code: 'WSP-001',
  scope: 'workspace',
  severity: 'error',
  family: 'workspace',
  tier: 'full',
  title: 'Connection secrets are env:NAME references, never values',
  explain: {
    why: 'hekima.yaml is committed with the products, so a password, token or key written in it leaks to everyone who can read the repository, its history and its forks. Write secrets as `env:NAME`: Hekima reads the value from the environment variable NAME at run time (CI secrets, a vault agent, a local .env that is not committed). Keys named like password, passwd, secret, token, api_key, apikey, access_key, secret_access_key, private_key, client_secret or credentials (also with a prefix, e.g. db_password) must be references; every `env:` value must be a valid variable name (letters, digits, underscore; not starting with a digit). The finding never repeats the secret.',
    bad: 'connections:\n  - name: erp\n    type: postgres\n    config:\n      host: erp.internal\n      username: reporting\n      password: s3cr3t!',
    good: 'connections:\n  - name: erp\n    type: postgres\n    config:\n      host: erp.internal\n      username: reporting\n      password: env:ERP_PASSWORD',
  },
  check(ctx) {
    for (const { index: i, raw } of listEntries(ctx.index, 'connections')) {
      if (!isObject(raw) || !isObject(raw['config'])) continue;
      const connection = typeof raw['name'] === 'string' ? raw['name'] : `connection ${i + 1}`;
      // Iterative walk of the config, bounded in depth. Keys of nested mappings are judged by
      // their own name; items of a list under a secret key (tokens: [..]) are secrets too.
      const stack: { value: unknown; path: PointerSegment[]; secret: string | undefined }[] = [
        { value: raw['config'], path: ['connections', i, 'config'], secret: undefined },
      ];
      while (stack.length > 0) {
        const { value, path, secret } = stack.pop()!;
        if (typeof value === 'string') {
          checkScalar(value, path, secret);
          continue;
        }
        if (typeof value === 'number' || typeof value === 'bigint') {
          if (secret !== undefined) reportSecret(path, secret);
          continue;
        }
        if (path.length - 3 >= MAX_DEPTH) continue;
        if (Array.isArray(value)) {
          for (let j = value.length - 1; j >= 0; j--) stack.push({ value: value[j], path: [...path, j], secret });
        } else if (isObject(value)) {
          const keys = Object.keys(value);
          for (let j = keys.length - 1; j >= 0; j--) {
            const key = keys[j]!;
            stack.push({ value: value[key], path: [...path, key], secret: isSecretKey(key) ? key : undefined });
          }
        }
      }

      function checkScalar(value: string, path: PointerSegment[], secret: string | undefined): void {
        const trimmed = value.trim();
        if (trimmed.startsWith(ENV_PREFIX)) {
          const name = trimmed.slice(ENV_PREFIX.length);
          if (ENV_NAME.test(name)) return;
          const pointer = toPointer(path);
          const suggested = envNameFor(name === '' ? `${connection}_${String(path[path.length - 1])}` : name);
          const fix = workspaceReplaceFix(ctx.index, pointer, `${ENV_PREFIX}${suggested}`, `Use env:${suggested}`);
          ctx.reportWorkspace(
            { path: pointer },
            `'${String(path[path.length - 1])}' of connection '${connection}' is an env reference with ${name === '' ? 'no variable name' : `an invalid variable name '${name}'`}`,
            {
              hint: `Write env:NAME where NAME has only letters, digits and underscores and does not start with a digit, e.g. env:${suggested}.`,
              ...(fix ? { fix } : {}),
            },
          );
          return;
        }
        if (secret === undefined || trimmed === '') return;
        const shell = SHELL_REFERENCE.exec(trimmed);
        if (shell) {
          // ${NAME} / $NAME: a reference in another syntax, not a secret; the name is safe to show.
          const name = shell[1]!;
          const pointer = toPointer(path);
          const fix = workspaceReplaceFix(ctx.index, pointer, `${ENV_PREFIX}${name}`, `Use env:${name}`);
          ctx.reportWorkspace(
            { path: pointer },
            `'${String(path[path.length - 1])}' of connection '${connection}' is written ${trimmed}, which hekima.yaml does not expand`,
            {
              hint: `Write the reference as env:${name}; a literal ${trimmed} would be sent as the secret itself.`,
              ...(fix ? { fix } : {}),
            },
          );
          return;
        }
        reportSecret(path, secret);
      }

      function reportSecret(path: PointerSegment[], secret: string): void {
        const pointer = toPointer(path);
        const key = String(path[path.length - 1]);
        const variable = envNameFor(connection, typeof path[path.length - 1] === 'number' ? secret : key);
        const fix = workspaceReplaceFix(
          ctx.index,
          pointer,
          `${ENV_PREFIX}${variable}`,
          `Replace the secret with env:${variable}`,
        );
        ctx.reportWorkspace(
          { path: pointer },
          `'${key}' of connection '${connection}' holds a secret value written in hekima.yaml`,
          {
            hint: `Never store secrets in files: write \`${key}: env:${variable}\` and set ${variable} in the environment (CI secret, vault, an uncommitted .env). If the file was ever committed, rotate the secret: it stays in the repository history.`,
            ...(fix ? { fix } : {}),
          },
        );
      }
    }
  },
});
