import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretValue } from '../../../platform-core/src/domain/secret-value.js';
import type { ContractContext } from './contract-context.js';

/** Connection secrets: encrypted at rest, bound to their row, redacted wherever text is made from them. */
export function secretsContract(get: () => ContractContext): void {
  describe('connection secrets', () => {
    it('stores literal secrets encrypted (the raw row never contains the plaintext) and env: references as they are', async () => {
      const { db, a } = get();
      const raw = await db.admin.transaction(
        async (sql) =>
          (await sql.query(`SELECT c::text AS row, secrets FROM connections c WHERE id = $1`, [a.connectionId]))
            .rows[0]!,
      );
      expect(String(raw['row'])).not.toContain(a.secretPlaintext);
      const secrets = raw['secrets'] as Record<string, Record<string, string>>;
      expect(secrets['token']).toEqual({ env: 'WAREHOUSE_TOKEN' });
      expect(secrets['password']!['enc']).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
      // A fresh IV each time: the same plaintext never encrypts to the same token.
      const again = await get()
        .catalog.forTenant(a.tenant.id)
        .connections.create({
          name: 'same-secret',
          connectorType: 'postgres',
          secrets: { password: SecretValue.of(a.secretPlaintext) },
        });
      const token = await db.admin.transaction(
        async (sql) =>
          (await sql.query(`SELECT secrets->'password'->>'enc' AS t FROM connections WHERE id = $1`, [again.id]))
            .rows[0]!['t'],
      );
      expect(token).not.toBe(secrets['password']!['enc']);
    });

    it('reports where secrets come from, never what they are, and resolves them only on request', async () => {
      const { catalog, a } = get();
      const scoped = catalog.forTenant(a.tenant.id);
      const connection = await scoped.connections.get(a.connectionId);
      expect(connection?.secrets).toEqual({
        password: { kind: 'stored' },
        token: { kind: 'env', name: 'WAREHOUSE_TOKEN' },
      });
      expect(connection?.config).toEqual({ host: 'db.internal', port: 5432, password: 'env:WAREHOUSE_PASSWORD' });
      await expect(scoped.connections.resolveSecrets(a.connectionId, {})).rejects.toMatchObject({
        kind: 'Permanent',
        code: 'secret_env_missing',
      });
      const resolved = await scoped.connections.resolveSecrets(a.connectionId, { WAREHOUSE_TOKEN: 'tok-123' });
      expect(resolved['password']?.reveal()).toBe(a.secretPlaintext);
      expect(resolved['token']?.reveal()).toBe('tok-123');
      for (const text of [
        JSON.stringify(resolved),
        String(resolved['password']),
        `${resolved['password']}`,
        inspect(resolved, { depth: 5 }),
        JSON.stringify(connection),
      ]) {
        expect(text).not.toContain(a.secretPlaintext);
        expect(text).not.toContain('tok-123');
      }
    });

    it('keeps plaintext out of inputs, errors and logs', async () => {
      const { catalog, a } = get();
      const plaintext = 'hunter2-very-secret';
      const input = { name: 'warehouse', connectorType: 'postgres', secrets: { password: SecretValue.of(plaintext) } };
      expect(JSON.stringify(input) + inspect(input, { depth: 5 })).not.toContain(plaintext);
      const error = await catalog
        .forTenant(a.tenant.id)
        .connections.create(input)
        .catch((e: Error & { toJSON(): unknown }) => e);
      expect(error).toMatchObject({ kind: 'Conflict', code: 'connection_exists' });
      expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()) + inspect(error, { depth: 10 })).not.toContain(
        plaintext,
      );
      // A literal secret hidden in config is refused (the message names the key, not the value).
      const leak = await catalog
        .forTenant(a.tenant.id)
        .connections.create({ name: 'leaky', connectorType: 'http', config: { auth: { api_key: plaintext } } })
        .catch((e: Error) => e);
      expect(leak).toMatchObject({ kind: 'InvalidArgument', code: 'invalid_connection' });
      expect((leak as Error).message).toContain('auth/api_key');
      expect(inspect(leak, { depth: 10 })).not.toContain(plaintext);
    });

    it('a ciphertext moved to another row or tenant does not decrypt', async () => {
      const { catalog, db, a, b } = get();
      const secrets = { password: SecretValue.of('moved-secret') };
      const mine = await catalog
        .forTenant(a.tenant.id)
        .connections.create({ name: 'target', connectorType: 'postgres', secrets });
      const theirs = await catalog
        .forTenant(b.tenant.id)
        .connections.create({ name: 'source', connectorType: 'postgres', secrets });
      const sibling = await catalog
        .forTenant(a.tenant.id)
        .connections.create({ name: 'sibling', connectorType: 'postgres', secrets });
      for (const from of [theirs.id, sibling.id]) {
        await db.admin.transaction((sql) =>
          sql.query(`UPDATE connections SET secrets = (SELECT secrets FROM connections WHERE id = $1) WHERE id = $2`, [
            from,
            mine.id,
          ]),
        );
        await expect(catalog.forTenant(a.tenant.id).connections.resolveSecrets(mine.id, {})).rejects.toMatchObject({
          kind: 'Permanent',
          code: 'secret_decrypt_failed',
        });
      }
    });
  });
}
