import {
  CREATED,
  ID,
  TENANT,
  UPDATED,
  requireActiveTenant,
  tenantIsolation,
  touchUpdatedAt,
  type Migration,
} from './migration.js';

/**
 * Products, their immutable versions (manifests + hash; the plan is added later) and deployments.
 * Foreign keys include tenant_id: RI checks bypass RLS, so a plain `product_id` reference would
 * let a tenant point at another tenant's row.
 */
export const migration002: Migration = {
  version: 2,
  name: 'products',
  sql: `
CREATE TABLE products (
  ${ID},
  ${TENANT},
  name text NOT NULL,
  domain text,
  archetype text,
  team_id uuid,
  description text,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT products_name_key UNIQUE (tenant_id, name),
  CONSTRAINT products_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT products_team_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
);
${tenantIsolation('products')}
${touchUpdatedAt('products')}
${requireActiveTenant('products')}

CREATE TABLE product_versions (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  version text NOT NULL,
  manifests jsonb NOT NULL CONSTRAINT product_versions_manifests_check CHECK (jsonb_typeof(manifests) = 'object'),
  manifest_hash text NOT NULL CONSTRAINT product_versions_hash_check CHECK (manifest_hash ~ '^[0-9a-f]{64}$'),
  plan jsonb,
  plan_hash text,
  ${CREATED},
  CONSTRAINT product_versions_version_key UNIQUE (tenant_id, product_id, version),
  CONSTRAINT product_versions_tenant_id_key UNIQUE (tenant_id, product_id, id),
  CONSTRAINT product_versions_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
${tenantIsolation('product_versions')}
CREATE INDEX product_versions_product_idx ON product_versions (tenant_id, product_id, created_at DESC, id DESC);
${requireActiveTenant('product_versions')}

-- A version's manifests never change; only its plan may be filled in.
CREATE FUNCTION product_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.tenant_id <> OLD.tenant_id OR NEW.product_id <> OLD.product_id
     OR NEW.version <> OLD.version OR NEW.manifests <> OLD.manifests OR NEW.manifest_hash <> OLD.manifest_hash THEN
    RAISE EXCEPTION 'a product version is immutable (only plan and plan_hash may be set)' USING ERRCODE = 'HK002';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER product_versions_guard BEFORE UPDATE ON product_versions FOR EACH ROW EXECUTE FUNCTION product_versions_guard();

CREATE TABLE deployments (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  product_version_id uuid NOT NULL,
  state text NOT NULL DEFAULT 'active' CONSTRAINT deployments_state_check CHECK (state IN ('active', 'superseded', 'failed')),
  deployed_by text,
  reason text,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT deployments_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT deployments_version_fkey FOREIGN KEY (tenant_id, product_id, product_version_id)
    REFERENCES product_versions (tenant_id, product_id, id)
);
${tenantIsolation('deployments')}
CREATE UNIQUE INDEX deployments_one_active_idx ON deployments (tenant_id, product_id) WHERE state = 'active';
CREATE INDEX deployments_product_idx ON deployments (tenant_id, product_id, created_at DESC, id DESC);
${touchUpdatedAt('deployments')}
${requireActiveTenant('deployments')}
`,
};
