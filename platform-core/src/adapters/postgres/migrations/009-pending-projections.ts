import { CREATED, ID, TENANT, UPDATED, tenantIsolation, touchUpdatedAt, type Migration } from './migration.js';

/**
 * The durable retry queue of serving projections (docs/adr/0013): a degraded endpoint (Redis down)
 * leaves one row per tenant, product and endpoint, naming the snapshot to project and the plan's
 * columns and writer; the next `hekima run` or `hekima worker` projects it and deletes the row.
 * The newest snapshot wins (`record` never replaces a newer one). `snapshot_id` has no foreign key:
 * retention may delete the snapshot, and the retry then drops the row.
 */
export const migration009: Migration = {
  version: 9,
  name: 'pending-projections',
  sql: `
CREATE TABLE pending_projections (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  endpoint text NOT NULL CONSTRAINT pending_projections_endpoint_check CHECK (endpoint IN ('lookup', 'timeseries', 'realtime')),
  product_name text NOT NULL,
  version text NOT NULL,
  snapshot_id uuid NOT NULL,
  committed_at timestamptz(3) NOT NULL,
  request jsonb NOT NULL CONSTRAINT pending_projections_request_check CHECK (jsonb_typeof(request) = 'object'),
  attempts integer NOT NULL DEFAULT 0 CONSTRAINT pending_projections_attempts_check CHECK (attempts >= 0),
  last_error text,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT pending_projections_endpoint_key UNIQUE (tenant_id, product_id, endpoint),
  CONSTRAINT pending_projections_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
${tenantIsolation('pending_projections')}
${touchUpdatedAt('pending_projections')}
`,
};
