import { CREATED, ID, TENANT, requireActiveTenant, tenantIsolation, type Migration } from './migration.js';

/**
 * Every deployment records the exact plan it deployed. `product_plans` keeps each plan once per
 * tenant, product and hash (immutable: the app role may only read and insert), and
 * `deployments.plan_hash` names the one a deployment made live; the composite foreign key keeps
 * a deployment from naming a plan of another product or tenant. Deployments from before this
 * migration have no plan_hash unless their plan is known: the plan the version row keeps, when
 * its hash is the deployment's (the reason `plan <hash>` or the version's manifest hash). The
 * others keep NULL, and readers fall back to the version row as before.
 */
export const migration010: Migration = {
  version: 10,
  name: 'product-plans',
  sql: `
CREATE TABLE product_plans (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  plan_hash text NOT NULL CONSTRAINT product_plans_hash_check CHECK (plan_hash ~ '^[0-9a-f]{64}$'),
  plan jsonb NOT NULL CONSTRAINT product_plans_plan_check CHECK (jsonb_typeof(plan) = 'object'),
  ${CREATED},
  CONSTRAINT product_plans_hash_key UNIQUE (tenant_id, product_id, plan_hash),
  CONSTRAINT product_plans_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
${tenantIsolation('product_plans', 'SELECT, INSERT')}

ALTER TABLE deployments ADD COLUMN plan_hash text;
ALTER TABLE deployments ADD CONSTRAINT deployments_plan_fkey FOREIGN KEY (tenant_id, product_id, plan_hash)
  REFERENCES product_plans (tenant_id, product_id, plan_hash);

-- Backfill (as the owner, outside RLS): the plans version rows keep, and the deployments that deployed them.
INSERT INTO product_plans (tenant_id, product_id, plan_hash, plan, created_at)
SELECT v.tenant_id, v.product_id, v.manifest_hash, v.manifests -> 'plan', v.created_at
FROM product_versions v
WHERE jsonb_typeof(v.manifests -> 'plan') = 'object' AND v.manifests -> 'plan' ->> 'hash' = v.manifest_hash
ON CONFLICT ON CONSTRAINT product_plans_hash_key DO NOTHING;

ALTER TABLE deployments DISABLE TRIGGER deployments_touch;
UPDATE deployments d SET plan_hash = p.plan_hash
FROM product_versions v, product_plans p
WHERE v.tenant_id = d.tenant_id AND v.id = d.product_version_id
  AND p.tenant_id = d.tenant_id AND p.product_id = d.product_id
  AND p.plan_hash = COALESCE(substring(d.reason FROM '^plan ([0-9a-f]{64})$'), v.manifest_hash);
ALTER TABLE deployments ENABLE TRIGGER deployments_touch;

${requireActiveTenant('product_plans')}
`,
};
