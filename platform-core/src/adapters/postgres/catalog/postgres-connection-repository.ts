import { randomUUID } from 'node:crypto';
import { notFound, permanent } from '../../../domain/errors.js';
import {
  assertNewConnection,
  type Connection,
  type NewConnection,
  type SecretRef,
} from '../../../domain/catalog/connection.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import { isSecretValue, SecretValue } from '../../../domain/secret-value.js';
import type { ConnectionRepository } from '../../../ports/catalog.js';
import type { SecretCipher } from '../../../ports/secret-cipher.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, one, optString, type TenantContext } from './rows.js';

/** How a secret sits in the `secrets` column: an env reference, or an AES-256-GCM token. */
type StoredSecret = { readonly env: string } | { readonly enc: string };

function connectionFromRow(row: SqlRow): Connection {
  const stored = (row['secrets'] ?? {}) as Record<string, StoredSecret>;
  const secrets: Record<string, SecretRef> = {};
  for (const [name, secret] of Object.entries(stored)) {
    secrets[name] = 'env' in secret ? { kind: 'env', name: secret.env } : { kind: 'stored' };
  }
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    name: String(row['name']),
    connectorType: String(row['connector_type']),
    description: optString(row['description']),
    teamId: optString(row['team_id']),
    config: (row['config'] ?? {}) as JsonObject,
    secrets,
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

/** The AAD of a stored secret: a token only decrypts in the row and slot it was written for. */
function secretContext(tenantId: string, connectionId: string, name: string): string {
  return `hekima:connection-secret:${tenantId}:${connectionId}:${name}`;
}

export class PostgresConnectionRepository implements ConnectionRepository {
  constructor(
    private readonly ctx: TenantContext,
    private readonly cipher: SecretCipher,
  ) {}

  async create(input: NewConnection): Promise<Connection> {
    assertNewConnection(input);
    const id = randomUUID();
    const secrets: Record<string, StoredSecret> = {};
    for (const [name, secret] of Object.entries(input.secrets ?? {})) {
      secrets[name] = isSecretValue(secret)
        ? { enc: this.cipher.encrypt(secret.reveal(), secretContext(this.ctx.tenantId, id, name)) }
        : { env: secret.env };
    }
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO connections (id, tenant_id, name, connector_type, description, team_id, config, secrets)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING *`,
          [
            id,
            this.ctx.tenantId,
            input.name,
            input.connectorType,
            input.description ?? null,
            input.teamId ?? null,
            json(input.config ?? {}),
            json(secrets),
          ],
        )
        .catch(
          conflictOn({
            connections_name_key: ['connection_exists', `A connection named "${input.name}" already exists.`],
          }),
        );
      return connectionFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<Connection | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM connections WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        connectionFromRow,
      ),
    );
  }

  async getByName(name: string): Promise<Connection | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM connections WHERE tenant_id = $1 AND name = $2', [this.ctx.tenantId, name]))
          .rows,
        connectionFromRow,
      ),
    );
  }

  async list(page?: PageRequest): Promise<Page<Connection>> {
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, {
        from: 'connections',
        where: ['tenant_id = $1'],
        params: [this.ctx.tenantId],
        map: connectionFromRow,
      }),
    );
  }

  async resolveSecrets(
    id: string,
    env: Readonly<Record<string, string | undefined>>,
  ): Promise<Record<string, SecretValue>> {
    assertId(id);
    const row = await this.ctx.run(
      async (sql) =>
        (
          await sql.query('SELECT id, secrets FROM connections WHERE tenant_id = $1 AND id = $2', [
            this.ctx.tenantId,
            id,
          ])
        ).rows[0],
    );
    if (!row) throw notFound('connection_not_found', `No connection with id ${id}.`, { details: { connectionId: id } });
    const resolved: Record<string, SecretValue> = {};
    for (const [name, secret] of Object.entries((row['secrets'] ?? {}) as Record<string, StoredSecret>)) {
      if ('enc' in secret) {
        resolved[name] = SecretValue.of(this.cipher.decrypt(secret.enc, secretContext(this.ctx.tenantId, id, name)));
        continue;
      }
      const value = env[secret.env];
      if (value === undefined) {
        throw permanent(
          'secret_env_missing',
          `Secret "${name}" of the connection reads env ${secret.env}, which is not set.`,
          {
            details: { connectionId: id, secret: name, env: secret.env },
          },
        );
      }
      resolved[name] = SecretValue.of(value);
    }
    return resolved;
  }
}
