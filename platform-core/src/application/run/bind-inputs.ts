import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { invalidState, notFound } from '../../domain/errors.js';
import { restated } from '../../domain/ingestion/malformed-source.js';
import type { Snapshot } from '../../domain/lake/snapshot.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { TenantCatalog } from '../../ports/catalog.js';
import type { BoundInput } from '../../ports/engine.js';
import type { IngestDeps } from '../ingest/ingest.js';
import { statefulIngest, type PendingInput } from '../ingest/stateful-ingest.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { LakeDeps } from '../lake/write-snapshot.js';
import type { WorkspaceConfigView } from '../validate/workspace-index.js';

export interface BindDeps extends LakeDeps {
  readonly ingest: IngestDeps;
  readonly connections: WorkspaceConfigView['connections'];
}

export interface BoundInputs {
  readonly inputs: BoundInput[];
  /**
   * Commits every connector input's new state with the snapshot: call it INSIDE the snapshot
   * commit transaction (`within`). Until then nothing advances: a run that fails earlier leaves
   * the old states, and the next run extracts the same rows again.
   */
  commitStates(tx: TenantCatalog, snapshot: Snapshot): Promise<void>;
}

/**
 * Binds a plan's inputs: a connector input is ingested from the state committed with the
 * product's last snapshot and merged into its next full data set (`statefulIngest`); a
 * data_product input is bound to the upstream's current committed snapshot. `productIds` holds
 * every deployed product's id by name, this product's included.
 */
export async function bindInputs(
  deps: BindDeps,
  tenantId: string,
  plan: HashedPlan,
  productIds: ReadonlyMap<string, string>,
  workDir: string,
  signal: AbortSignal,
): Promise<BoundInputs> {
  const bound: BoundInput[] = [];
  const pending: PendingInput[] = [];
  for (const input of plan.inputs) {
    if (input.type === 'connector') {
      const productId = productIds.get(plan.product.name);
      if (!productId) throw invalidState('product_not_deployed', `Product "${plan.product.name}" is not deployed.`);
      const connection = deps.connections.get(input.connector.ref);
      if (!connection?.type)
        throw notFound('connection_not_found', `Connection "${input.connector.ref}" is not declared in hekima.yaml.`);
      const ingested = await statefulIngest(deps, {
        tenantId,
        productId,
        product: plan.product.name,
        version: plan.product.version,
        input: {
          id: input.id,
          ingestion_strategy: input.connector.strategy ?? 'full_refresh',
          ingestion_config: input.connector.config,
          fitness: input.fitness as never,
        },
        connection: { name: connection.name, type: connection.type as ConnectionType, config: connection.config },
        workDir,
        signal,
      }).catch((e: unknown) => Promise.reject(restated(e, () => ({ manifest: inputsManifest(plan.product.folder) }))));
      pending.push(ingested);
      bound.push({ id: input.id, source: ingested.source });
      continue;
    }
    const productId = productIds.get(input.upstream.product);
    if (!productId)
      throw invalidState('upstream_not_deployed', `Upstream product "${input.upstream.product}" is not deployed.`);
    const { path } = await readableSnapshot(deps, tenantId, productId, {}, signal);
    bound.push({ id: input.id, source: { kind: 'file', path, format: 'parquet' } });
  }
  return {
    inputs: bound,
    async commitStates(tx, snapshot) {
      for (const p of pending) await p.commit(tx, snapshot.id, signal);
    },
  };
}

/** The inputs.yaml of a product folder, workspace-relative. */
export function inputsManifest(folder: string): string {
  return folder === '.' || folder === '' ? 'inputs.yaml' : `${folder}/inputs.yaml`;
}
