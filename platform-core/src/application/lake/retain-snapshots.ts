import { invalidArgument } from '../../domain/errors.js';
import type { LakeDeps } from './write-snapshot.js';

export interface RetentionReport {
  readonly kept: readonly string[];
  readonly deleted: readonly string[];
  /** True when retention could not run (it is retried at the next commit). */
  readonly failed?: boolean;
}

/**
 * Keeps a product's newest `keep` visible snapshots (for `use_cached` and `--as-of`) and deletes
 * the older ones: rows first (so nothing points at a file about to vanish), then their folders.
 */
export async function retainSnapshots(
  deps: LakeDeps,
  tenantId: string,
  productId: string,
  keep: number,
  signal?: AbortSignal,
): Promise<RetentionReport> {
  if (!Number.isInteger(keep) || keep < 1)
    throw invalidArgument('invalid_retention', `Snapshot retention must keep at least 1 snapshot (got ${keep}).`, {
      retryable: false,
    });
  const repo = deps.catalog.forTenant(tenantId, signal).snapshots;
  const visible = await repo.visible(productId, keep + 1000);
  const kept = visible.slice(0, keep);
  const old = visible.slice(keep);
  if (old.length > 0) await repo.delete(old.map((s) => s.id));
  for (const s of old) await deps.lake.remove(s.location, signal);
  return { kept: kept.map((s) => s.id), deleted: old.map((s) => s.id) };
}
