import { invalidArgument } from '../errors.js';
import { fits, subtract, type ResourceRequirements, type WorkerCapacity } from './resources.js';

/**
 * Placement: which ready executions a worker takes (AkôFlow's AkôScore, adapted to workers that
 * pull). The queue gives the policy a window of ready executions that fit the worker's free
 * capacity, oldest first; the policy picks up to `slots` of them, in the order to start them.
 * A policy must never pick one that does not fit what is left after the earlier picks.
 */
export interface PlacementCandidate {
  readonly id: string;
  readonly requirements: ResourceRequirements;
  /** ISO instant the execution was created (ties go to the oldest). */
  readonly createdAt: string;
}

export interface PlacementPolicy {
  readonly name: string;
  choose(candidates: readonly PlacementCandidate[], free: WorkerCapacity, slots: number): PlacementCandidate[];
}

/** Expected run time assumed for an execution with no history (one minute). */
export const DEFAULT_EXPECTED_MS = 60_000;

/**
 * AkôScore cost of running `c` on a worker with `free` capacity, in [0, 1], lower is better:
 *
 *   cost = (1 − α) · T + α · M
 *   T = expected run time / longest expected run time in the window   (makespan: short first)
 *   M = 1 − memory asked / free memory                                  (memory fit: tight first)
 *
 * α = 0 optimises purely for run time, α = 1 purely for memory fit (best fit), 0.5 balances.
 */
export function akoScore(c: PlacementCandidate, free: WorkerCapacity, longestMs: number, alpha: number): number {
  const expected = c.requirements.expectedMs ?? DEFAULT_EXPECTED_MS;
  const t = longestMs > 0 ? Math.min(1, expected / longestMs) : 0;
  const m = free.memoryBytes > 0 ? Math.min(1, Math.max(0, 1 - c.requirements.memoryBytes / free.memoryBytes)) : 0;
  return (1 - alpha) * t + alpha * m;
}

/** Greedy AkôScore placement: best score first, re-scored against what is left after each pick. */
export function akoScorePolicy(alpha = 0.5): PlacementPolicy {
  if (!(alpha >= 0 && alpha <= 1)) throw invalidArgument('invalid_alpha', `α must be in [0, 1], got ${alpha}.`);
  return {
    name: `akoscore(α=${alpha})`,
    choose(candidates, free, slots) {
      const chosen: PlacementCandidate[] = [];
      let left = free;
      let pool = [...candidates];
      while (chosen.length < slots) {
        pool = pool.filter((c) => fits(c.requirements, left));
        if (pool.length === 0) break;
        const longest = Math.max(...pool.map((c) => c.requirements.expectedMs ?? DEFAULT_EXPECTED_MS));
        let best = pool[0]!;
        let bestCost = akoScore(best, left, longest, alpha);
        for (const c of pool.slice(1)) {
          const cost = akoScore(c, left, longest, alpha);
          if (cost < bestCost || (cost === bestCost && older(c, best))) [best, bestCost] = [c, cost];
        }
        chosen.push(best);
        left = subtract(left, best.requirements);
        pool = pool.filter((c) => c !== best);
      }
      return chosen;
    },
  };
}

/** First come, first served among those that fit. */
export const fifoPolicy: PlacementPolicy = {
  name: 'fifo',
  choose(candidates, free, slots) {
    const chosen: PlacementCandidate[] = [];
    let left = free;
    for (const c of [...candidates].sort((a, b) => (older(a, b) ? -1 : 1))) {
      if (chosen.length >= slots) break;
      if (!fits(c.requirements, left)) continue;
      chosen.push(c);
      left = subtract(left, c.requirements);
    }
    return chosen;
  },
};

function older(a: PlacementCandidate, b: PlacementCandidate): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);
}

/** A policy by name: `akoscore` (with α) or `fifo`. */
export function placementPolicy(name: string, alpha?: number): PlacementPolicy {
  if (name === 'akoscore') return akoScorePolicy(alpha);
  if (name === 'fifo') return fifoPolicy;
  throw invalidArgument('unknown_placement', `Unknown placement policy "${name}" (akoscore, fifo).`);
}
