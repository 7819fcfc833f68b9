import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `value` by edit distance, or undefined when none is close enough
 * to be a plausible typo (at most a third of the longer string, and at most 4 edits).
 */
export function nearest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = value.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(4, Math.max(1, Math.ceil(Math.max(value.length, best.length) / 3)));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(value: string, candidates: Iterable<string>): string {
  const n = nearest(value, candidates);
  return n === undefined ? '' : ` Did you mean '${n}'?`;
}
