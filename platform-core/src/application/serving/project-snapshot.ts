import { conflict, isHekimaError } from '../../domain/errors.js';
import type { ProductPlan } from '../../domain/plan/product-plan.js';
import type { CheckEngine } from '../../ports/check-engine.js';
import type { Logger } from '../../ports/logger.js';
import type { ProjectionResult, ServingEndpointType, ServingStores } from '../../ports/serving-store.js';
import { SERVING_ENDPOINT_TYPES } from '../../ports/serving-store.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { LakeDeps } from '../lake/write-snapshot.js';
import { rememberProjections } from './pending-projections.js';
import { snapshotBatches } from './snapshot-rows.js';

export interface ServingDeps extends LakeDeps {
  readonly checkEngine: CheckEngine;
  readonly stores: ServingStores;
  readonly logger?: Logger;
}

export interface ProjectRequest {
  readonly tenantId: string;
  readonly productId: string;
  readonly plan: ProductPlan;
  /** Only this snapshot (refused with Conflict `snapshot_not_current` unless it is the current one). */
  readonly snapshotId?: string;
}

export interface ProjectReport {
  readonly snapshotId: string;
  /** True when every endpoint is `served` or `off`: the snapshot moved to `promoted`. */
  readonly promoted: boolean;
  readonly endpoints: readonly ProjectionResult[];
}

/**
 * Serve: projects the product's CURRENT committed snapshot into the store of each serving
 * endpoint of the plan. Runs after the gate committed it (quality fails open: a failed gate never
 * reaches here, so the stores keep the previous, stale-but-correct projection). A store that is
 * down (`degraded`) or refuses (`failed`) does not fail the run; the snapshot then stays
 * `committed` rather than `promoted`, and the endpoint is kept in the catalog's pending projections
 * (migration 009) until `retryPendingProjections` serves it. Each store streams the snapshot's
 * rows in batches (`snapshotBatches`); a snapshot that cannot be read fails that endpoint.
 */
export async function projectSnapshot(
  deps: ServingDeps,
  request: ProjectRequest,
  signal?: AbortSignal,
): Promise<ProjectReport> {
  const { snapshot, path } = await readableSnapshot(deps, request.tenantId, request.productId, {}, signal);
  if (request.snapshotId !== undefined && request.snapshotId !== snapshot.id)
    throw conflict(
      'snapshot_not_current',
      `Snapshot ${request.snapshotId} is not the current one (${snapshot.id}); only the current snapshot is served.`,
    );
  const writers = request.plan.serving;
  // Read lazily, in batches, once per endpoint that needs rows: never the whole snapshot in memory.
  const rows = snapshotBatches(deps.checkEngine, path);
  const endpoints: ProjectionResult[] = [];
  for (const writer of writers) {
    const type = writer.type as ServingEndpointType;
    if (!SERVING_ENDPOINT_TYPES.includes(type)) {
      endpoints.push({
        endpoint: type,
        status: 'failed',
        written: 0,
        retired: 0,
        target: '',
        message: `Unknown serving endpoint type "${writer.type}".`,
      });
      continue;
    }
    try {
      endpoints.push(
        await deps.stores[type].project(
          {
            tenantId: request.tenantId,
            product: request.plan.product.name,
            version: request.plan.product.version,
            snapshotId: snapshot.id,
            committedAt: new Date(snapshot.committedAt ?? snapshot.updatedAt),
            path,
            columns: request.plan.output.columns,
            writer,
            rows,
          },
          signal,
        ),
      );
    } catch (e) {
      if (isHekimaError(e) && e.kind === 'Cancelled') throw e;
      const message = e instanceof Error ? e.message : String(e);
      deps.logger?.error('serving projection failed', {
        product: request.plan.product.name,
        endpoint: type,
        error: message,
      });
      endpoints.push({ endpoint: type, status: 'failed', written: 0, retired: 0, target: '', message });
    }
  }
  // The durable retry queue: degraded/failed endpoints are kept, served ones clear older entries.
  await rememberProjections(deps, request.tenantId, request.productId, request.plan, snapshot, endpoints, signal);
  const promoted = endpoints.every((e) => e.status === 'served' || e.status === 'off');
  if (promoted && snapshot.state === 'committed')
    await deps.catalog.forTenant(request.tenantId, signal).snapshots.promote(snapshot.id);
  for (const e of endpoints)
    deps.logger?.info(`serving ${e.endpoint}: ${e.status}`, {
      product: request.plan.product.name,
      target: e.target,
      written: e.written,
      ...(e.storage ? { storage: e.storage } : {}),
      ...(e.message ? { message: e.message } : {}),
    });
  return { snapshotId: snapshot.id, promoted, endpoints };
}
