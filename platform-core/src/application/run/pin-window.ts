import type { Execution } from '../../domain/catalog/execution.js';
import type { HashedPlan } from '../../domain/plan/product-plan.js';
import type { BoundInput } from '../../ports/engine.js';
import { readableSnapshot } from '../lake/read-snapshot.js';
import type { LakeDeps } from '../lake/write-snapshot.js';

interface WindowInput {
  readonly status?: string;
  readonly snapshotId?: string;
}

/** The snapshot the correlation chose for each upstream product (by name), from the execution's inputs. */
export function windowSnapshots(execution: Execution): Map<string, string> {
  const recorded = (execution.inputs?.['inputs'] ?? {}) as Record<string, WindowInput>;
  const out = new Map<string, string>();
  for (const [product, state] of Object.entries(recorded)) {
    if ((state.status === 'arrived' || state.status === 'cached') && typeof state.snapshotId === 'string')
      out.set(product, state.snapshotId);
  }
  return out;
}

/**
 * Binds every `same_day` data_product input to the snapshot the execution's window recorded for it
 * (the day's data whose data.available completed the window) rather than to whatever is current
 * now. `latest` inputs mean the newest data: they keep their binding to the current committed
 * snapshot (at least as new as the one the window recorded), as do inputs the window has no
 * snapshot for.
 */
export async function pinWindow(
  deps: LakeDeps,
  tenantId: string,
  execution: Execution,
  plan: HashedPlan,
  bound: readonly BoundInput[],
  productIds: ReadonlyMap<string, string>,
  signal: AbortSignal,
): Promise<BoundInput[]> {
  const chosen = windowSnapshots(execution);
  if (chosen.size === 0) return [...bound];
  const out: BoundInput[] = [];
  for (const b of bound) {
    const input = plan.inputs.find((i) => i.id === b.id);
    const sameDay = input?.type === 'data_product' && input.partition_mapping === 'same_day';
    const snapshotId = sameDay ? chosen.get(input.upstream.product) : undefined;
    const productId = input?.type === 'data_product' ? productIds.get(input.upstream.product) : undefined;
    if (snapshotId === undefined || productId === undefined) {
      out.push(b);
      continue;
    }
    const { path } = await readableSnapshot(deps, tenantId, productId, { asOf: snapshotId }, signal);
    out.push({ id: b.id, source: { kind: 'file', path, format: 'parquet' } });
  }
  return out;
}
