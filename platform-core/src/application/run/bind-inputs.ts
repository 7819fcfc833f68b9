import type { ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { invalidState, notFound } from '../../domain/errors.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { BoundInput } from '../../ports/engine.js';
import { ingest, type IngestDeps } from '../ingest/ingest.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { LakeDeps } from '../lake/write-snapshot.js';
import type { WorkspaceConfigView } from '../validate/workspace-index.js';

export interface BindDeps extends LakeDeps {
  readonly ingest: IngestDeps;
  readonly connections: WorkspaceConfigView['connections'];
}

/**
 * Binds a plan's inputs: a connector input is ingested into `workDir` (a full read each run: the
 * run keeps no connector state yet); a data_product input is bound to the upstream's current
 * committed snapshot.
 */
export async function bindInputs(
  deps: BindDeps,
  tenantId: string,
  plan: HashedPlan,
  productIds: ReadonlyMap<string, string>,
  workDir: string,
  signal: AbortSignal,
): Promise<BoundInput[]> {
  const bound: BoundInput[] = [];
  for (const input of plan.inputs) {
    if (input.type === 'connector') {
      const connection = deps.connections.get(input.connector.ref);
      if (!connection?.type)
        throw notFound('connection_not_found', `Connection "${input.connector.ref}" is not declared in hekima.yaml.`);
      const result = await ingest(deps.ingest, {
        input: {
          id: input.id,
          ingestion_strategy: input.connector.strategy ?? 'full_refresh',
          ingestion_config: input.connector.config,
          fitness: input.fitness as never,
        },
        connection: { name: connection.name, type: connection.type as ConnectionType, config: connection.config },
        state: null,
        workDir,
        signal,
      });
      bound.push({ id: input.id, source: { kind: 'file', path: result.file, format: 'parquet' } });
      continue;
    }
    const productId = productIds.get(input.upstream.product);
    if (!productId)
      throw invalidState('upstream_not_deployed', `Upstream product "${input.upstream.product}" is not deployed.`);
    const { path } = await readableSnapshot(deps, tenantId, productId, {}, signal);
    bound.push({ id: input.id, source: { kind: 'file', path, format: 'parquet' } });
  }
  return bound;
}
