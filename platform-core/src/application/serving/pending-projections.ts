import type { Snapshot } from '../../domain/lake/snapshot.js';
import { hasErrorKind, isHekimaError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import type { PlanColumn, ProductPlan, ServingWriterPlan } from '../../domain/plan/product-plan.js';
import type { PendingProjection } from '../../ports/pending-projections.js';
import type { ProjectionResult, ProjectionStatus } from '../../ports/serving-store.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { ServingDeps } from './project-snapshot.js';
import { snapshotBatches } from './snapshot-rows.js';

type StoreEndpoint = PendingProjection['endpoint'];
const STORES: readonly string[] = ['lookup', 'timeseries', 'realtime'];

/**
 * After a projection: a `degraded` or `failed` endpoint is kept in the catalog's pending
 * projections (newest snapshot wins), a `served` or `off` one clears what was pending for it up to
 * this snapshot. The table is the durable retry queue that `retryPendingProjections` drains.
 */
export async function rememberProjections(
  deps: ServingDeps,
  tenantId: string,
  productId: string,
  plan: ProductPlan,
  snapshot: Snapshot,
  results: readonly ProjectionResult[],
  signal?: AbortSignal,
): Promise<void> {
  const committedAt = snapshot.committedAt ?? snapshot.updatedAt;
  const repo = deps.catalog.forTenant(tenantId, signal).pendingProjections;
  for (const result of results) {
    if (!STORES.includes(result.endpoint)) continue;
    const endpoint = result.endpoint as StoreEndpoint;
    if (result.status === 'served' || result.status === 'off') {
      await repo.clear(productId, endpoint, committedAt);
      continue;
    }
    const writer = plan.serving.find((w) => w.type === endpoint);
    if (!writer) continue;
    await repo.record({
      productId,
      endpoint,
      product: plan.product.name,
      version: plan.product.version,
      snapshotId: snapshot.id,
      committedAt,
      request: { columns: plan.output.columns, writer } as unknown as JsonObject,
      ...(result.message ? { lastError: result.message } : {}),
    });
  }
}

export interface RetriedProjection {
  readonly product: string;
  readonly endpoint: StoreEndpoint;
  readonly snapshotId: string;
  /** `superseded`: the snapshot is no longer the current one; it is dropped, never projected. */
  readonly status: ProjectionStatus | 'superseded';
  readonly written: number;
  /** True when this retry left the snapshot with nothing pending and promoted it. */
  readonly promoted: boolean;
  readonly message?: string;
}

/**
 * Drains the tenant's pending projections (Redis back after an outage): each is projected again
 * from its snapshot in the lake, only if that snapshot is still the product's current one — an
 * older snapshot is never written over a newer one; a superseded entry is dropped. A success
 * deletes the entry (and promotes the snapshot once nothing else is pending for it); a failure
 * counts an attempt and stays for the next `hekima run` or `hekima worker` pass. The store's
 * circuit breaker keeps a Redis that is still down from costing more than one timeout per pass.
 *
 * Call it at the start of every `hekima run` (per tenant, before products run) and from each
 * `hekima worker` loop (per tenant, on its idle tick).
 */
export async function retryPendingProjections(
  deps: ServingDeps,
  tenantId: string,
  signal?: AbortSignal,
): Promise<RetriedProjection[]> {
  const repo = () => deps.catalog.forTenant(tenantId, signal).pendingProjections;
  const out: RetriedProjection[] = [];
  for (const pending of await repo().list()) {
    signal?.throwIfAborted();
    const base = { product: pending.product, endpoint: pending.endpoint, snapshotId: pending.snapshotId };
    const current = await readableSnapshot(deps, tenantId, pending.productId, {}, signal).catch((e: unknown) => {
      if (hasErrorKind(e, 'NotFound')) return undefined;
      throw e;
    });
    if (current?.snapshot.id !== pending.snapshotId) {
      await repo().clear(pending.productId, pending.endpoint, pending.committedAt);
      out.push({ ...base, status: 'superseded', written: 0, promoted: false });
      continue;
    }
    const request = pending.request as unknown as { columns: PlanColumn[]; writer: ServingWriterPlan };
    let result: ProjectionResult;
    try {
      result = await deps.stores[pending.endpoint].project(
        {
          tenantId,
          product: pending.product,
          version: pending.version,
          snapshotId: pending.snapshotId,
          committedAt: new Date(pending.committedAt),
          path: current.path,
          columns: request.columns,
          writer: request.writer,
          rows: snapshotBatches(deps.checkEngine, current.path),
        },
        signal,
      );
    } catch (e) {
      if (isHekimaError(e) && e.kind === 'Cancelled') throw e;
      const message = e instanceof Error ? e.message : String(e);
      result = { endpoint: pending.endpoint, status: 'failed', written: 0, retired: 0, target: '', message };
    }
    if (result.status !== 'served' && result.status !== 'off') {
      await repo().noteFailure(pending.id, result.message ?? result.status);
      out.push({ ...base, status: result.status, written: 0, promoted: false, ...msg(result) });
      continue;
    }
    await repo().clear(pending.productId, pending.endpoint, pending.committedAt);
    const promoted = await promoteIfDone(deps, tenantId, pending, current.snapshot, signal);
    deps.logger?.info(`serving ${pending.endpoint}: ${result.status} (retried)`, {
      product: pending.product,
      snapshot: pending.snapshotId,
      written: result.written,
    });
    out.push({ ...base, status: result.status, written: result.written, promoted, ...msg(result) });
  }
  return out;
}

async function promoteIfDone(
  deps: ServingDeps,
  tenantId: string,
  pending: PendingProjection,
  snapshot: Snapshot,
  signal?: AbortSignal,
): Promise<boolean> {
  if (snapshot.state !== 'committed') return false;
  const tenant = deps.catalog.forTenant(tenantId, signal);
  const left = (await tenant.pendingProjections.list(1000)).filter((p) => p.productId === pending.productId);
  if (left.length > 0) return false;
  await tenant.snapshots.promote(snapshot.id);
  return true;
}

function msg(result: ProjectionResult): { message?: string } {
  return result.message ? { message: result.message } : {};
}

export interface FollowPendingProjectionsOptions {
  readonly clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> };
  /** Pause between passes over every ACTIVE tenant (default 30 s; the Redis breaker's cooldown). */
  readonly intervalMs?: number;
}

/**
 * The retry loop of a long-running process (`hekima worker`): every pass lists the ACTIVE tenants
 * and runs {@link retryPendingProjections} for each, until `signal` aborts. Safe with many
 * workers: a retry only writes the current snapshot, and a success deletes the entry.
 */
export async function followPendingProjections(
  deps: ServingDeps,
  options: FollowPendingProjectionsOptions,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      let after: string | undefined;
      do {
        const page = await deps.catalog.tenants.list(
          { limit: 100, ...(after ? { after } : {}) },
          { state: 'ACTIVE' },
          signal,
        );
        for (const tenant of page.items) await retryPendingProjections(deps, tenant.id, signal);
        after = page.pageInfo.hasNext ? page.pageInfo.nextCursor : undefined;
      } while (after && !signal.aborted);
    } catch (e) {
      if (!signal.aborted) deps.logger?.warn('pending projections could not be retried', { error: String(e) });
    }
    await options.clock.sleep(options.intervalMs ?? 30_000, signal).catch(() => undefined);
  }
}
