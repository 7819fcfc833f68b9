import {
  assertNewProduct,
  assertNewProductVersion,
  type NewProduct,
  type NewProductVersion,
  type Product,
  type ProductVersion,
} from '../../../domain/catalog/product.js';
import type { JsonObject } from '../../../domain/json.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { ProductRepository } from '../../../ports/catalog.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, one, optString, type TenantContext } from './rows.js';

function productFromRow(row: SqlRow): Product {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    name: String(row['name']),
    domain: optString(row['domain']),
    archetype: optString(row['archetype']),
    teamId: optString(row['team_id']),
    description: optString(row['description']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

function versionFromRow(row: SqlRow): ProductVersion {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    productId: String(row['product_id']),
    version: String(row['version']),
    manifests: row['manifests'] as JsonObject,
    manifestHash: String(row['manifest_hash']),
    plan: (row['plan'] ?? undefined) as JsonObject | undefined,
    planHash: optString(row['plan_hash']),
    createdAt: iso(row['created_at']),
  });
}

export class PostgresProductRepository implements ProductRepository {
  constructor(private readonly ctx: TenantContext) {}

  async register(input: NewProduct): Promise<Product> {
    assertNewProduct(input);
    if (input.teamId !== undefined) assertId(input.teamId, 'teamId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO products (tenant_id, name, domain, archetype, team_id, description)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [
            this.ctx.tenantId,
            input.name,
            input.domain ?? null,
            input.archetype ?? null,
            input.teamId ?? null,
            input.description ?? null,
          ],
        )
        .catch(
          conflictOn({ products_name_key: ['product_exists', `A product named "${input.name}" already exists.`] }),
        );
      return productFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<Product | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM products WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        productFromRow,
      ),
    );
  }

  async getByName(name: string): Promise<Product | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM products WHERE tenant_id = $1 AND name = $2', [this.ctx.tenantId, name])).rows,
        productFromRow,
      ),
    );
  }

  async list(page?: PageRequest): Promise<Page<Product>> {
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, {
        from: 'products',
        where: ['tenant_id = $1'],
        params: [this.ctx.tenantId],
        map: productFromRow,
      }),
    );
  }

  async addVersion(input: NewProductVersion): Promise<ProductVersion> {
    assertNewProductVersion(input);
    assertId(input.productId, 'productId');
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query(
          `INSERT INTO product_versions (tenant_id, product_id, version, manifests, manifest_hash)
           VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING *`,
          [this.ctx.tenantId, input.productId, input.version, json(input.manifests), input.manifestHash],
        )
        .catch(
          conflictOn({
            product_versions_version_key: [
              'product_version_exists',
              `Version ${input.version} of this product already exists.`,
            ],
          }),
        );
      return versionFromRow(rows[0]!);
    });
  }

  async getVersion(id: string): Promise<ProductVersion | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM product_versions WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id]))
          .rows,
        versionFromRow,
      ),
    );
  }

  async listVersions(productId: string, page?: PageRequest): Promise<Page<ProductVersion>> {
    assertId(productId, 'productId');
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, {
        from: 'product_versions',
        where: ['tenant_id = $1', 'product_id = $2'],
        params: [this.ctx.tenantId, productId],
        map: versionFromRow,
      }),
    );
  }
}
