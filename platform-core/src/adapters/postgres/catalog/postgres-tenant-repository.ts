import { conflict, notFound } from '../../../domain/errors.js';
import {
  assertTenantSlug,
  assertTenantTransition,
  type NewTenant,
  type Tenant,
  type TenantState,
} from '../../../domain/catalog/tenant.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { TenantFilter, TenantRepository } from '../../../ports/catalog.js';
import type { SqlDatabase, SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, one, optString } from './rows.js';

export function tenantFromRow(row: SqlRow): Tenant {
  return compact({
    id: String(row['id']),
    slug: String(row['slug']),
    displayName: String(row['display_name']),
    state: row['state'] as TenantState,
    stateReason: optString(row['state_reason']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

/** Tenants through the admin path: the control plane creates, lists and moves tenants. */
export class PostgresTenantRepository implements TenantRepository {
  constructor(private readonly db: SqlDatabase) {}

  async create(input: NewTenant, signal?: AbortSignal): Promise<Tenant> {
    assertTenantSlug(input.slug);
    return this.db.admin.transaction(async (sql) => {
      const { rows } = await sql
        .query('INSERT INTO tenants (slug, display_name) VALUES ($1, $2) RETURNING *', [
          input.slug,
          input.displayName ?? input.slug,
        ])
        .catch(
          conflictOn({ tenants_slug_key: ['tenant_exists', `A tenant with slug "${input.slug}" already exists.`] }),
        );
      return tenantFromRow(rows[0]!);
    }, signal);
  }

  async get(id: string, signal?: AbortSignal): Promise<Tenant | undefined> {
    assertId(id, 'tenantId');
    return this.db.admin.transaction(
      async (sql) => one((await sql.query('SELECT * FROM tenants WHERE id = $1', [id])).rows, tenantFromRow),
      signal,
    );
  }

  async getBySlug(slug: string, signal?: AbortSignal): Promise<Tenant | undefined> {
    return this.db.admin.transaction(
      async (sql) => one((await sql.query('SELECT * FROM tenants WHERE slug = $1', [slug])).rows, tenantFromRow),
      signal,
    );
  }

  async list(page?: PageRequest, filter: TenantFilter = {}, signal?: AbortSignal): Promise<Page<Tenant>> {
    const where = filter.state === undefined ? ['TRUE'] : ['state = $1'];
    const params = filter.state === undefined ? [] : [filter.state];
    return this.db.admin.transaction(
      (sql) => pagedSelect(sql, page, { from: 'tenants', where, params, map: tenantFromRow }),
      signal,
    );
  }

  async transition(id: string, to: TenantState, reason?: string, signal?: AbortSignal): Promise<Tenant> {
    assertId(id, 'tenantId');
    return this.db.admin.transaction(async (sql) => {
      const current = one(
        (await sql.query('SELECT * FROM tenants WHERE id = $1 FOR UPDATE', [id])).rows,
        tenantFromRow,
      );
      if (!current) throw notFound('tenant_not_found', `No tenant with id ${id}.`, { details: { tenantId: id } });
      assertTenantTransition(current.state, to);
      const { rows } = await sql.query(
        'UPDATE tenants SET state = $2, state_reason = $3 WHERE id = $1 AND state = $4 RETURNING *',
        [id, to, reason ?? null, current.state],
      );
      const row = rows[0];
      if (!row) throw conflict('tenant_changed', `Tenant ${current.slug} changed while moving it to ${to}; retry.`);
      return tenantFromRow(row);
    }, signal);
  }
}
