import { CREATED, ID, TENANT, UPDATED, tenantIsolation, touchUpdatedAt, type Migration } from './migration.js';

/**
 * Connector state committed with the snapshot (docs/adr/0014): per tenant, product and connector
 * input, the state the connector returned (cursor, file signatures, row hashes), the snapshot it
 * was committed with, and where the input's merged full data lives in the lake (null when the
 * input is read whole each run). Written only inside the snapshot commit transaction, so a failed
 * run leaves the previous state. `snapshot_id` has no foreign key on purpose: retention may delete
 * an old snapshot while the state of an input the product no longer reads still names it.
 */
export const migration008: Migration = {
  version: 8,
  name: 'connector-states',
  sql: `
CREATE TABLE connector_states (
  ${ID},
  ${TENANT},
  product_id uuid NOT NULL,
  input_id text NOT NULL CONSTRAINT connector_states_input_check CHECK (length(input_id) BETWEEN 1 AND 200),
  state jsonb NOT NULL CONSTRAINT connector_states_state_check CHECK (jsonb_typeof(state) = 'object'),
  snapshot_id uuid NOT NULL,
  data_location text,
  ${CREATED},
  ${UPDATED},
  CONSTRAINT connector_states_input_key UNIQUE (tenant_id, product_id, input_id),
  CONSTRAINT connector_states_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
${tenantIsolation('connector_states')}
${touchUpdatedAt('connector_states')}
`,
};
