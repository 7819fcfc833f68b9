import {
  applyFallback,
  dueFallbacks,
  type Correlation,
  type FallbackOutcome,
} from '../../domain/orchestration/correlation.js';
import type { InputSpec } from '../../domain/orchestration/subscription-map.js';
import { formatMs } from '../../domain/execution/execution-retry.js';
import type { CorrelationTx } from '../../ports/correlation-store.js';

/**
 * At an input's timeout its fallback applies (manifest-format §3): `fail` fails the run with the
 * reason, `use_cached` takes the upstream's last committed snapshot (and fails when there is
 * none), `skip` proceeds without the input.
 */
export async function applyDueFallbacks(tx: CorrelationTx, c: Correlation, now: Date): Promise<Correlation> {
  let next = c;
  for (const { input, fallback } of dueFallbacks(c, now)) {
    next = applyFallback(next, input.id, await outcomeOf(tx, input, fallback), now);
  }
  return next;
}

async function outcomeOf(
  tx: CorrelationTx,
  input: InputSpec,
  fallback: InputSpec['fallback'],
): Promise<FallbackOutcome> {
  const late = `input "${input.id}" published no data.available within ${formatMs(input.timeoutMs)}`;
  if (fallback === 'skip') return { status: 'skipped', reason: `${late}; skipped (fallback skip)` };
  if (fallback === 'use_cached') {
    const snapshot = await tx.lastCommittedSnapshot(input.id);
    return snapshot
      ? {
          status: 'cached',
          snapshotId: snapshot.snapshotId,
          reason: `${late}; using snapshot ${snapshot.snapshotId} of ${snapshot.committedAt} (fallback use_cached)`,
        }
      : { status: 'failed', reason: `${late} and it has no committed snapshot to use (fallback use_cached)` };
  }
  return { status: 'failed', reason: `${late} (fallback fail)` };
}
