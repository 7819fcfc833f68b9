/** The static type of a value in an expression. `unknown` matches anything. */
export type ValueType = 'number' | 'string' | 'boolean' | 'unknown';

/** One column of the check's result row, as derived from the final SELECT of its SQL. */
export interface ResultColumn {
  readonly name: string;
  /** What the SQL computes, when it could be told; absent means unknown. */
  readonly type?: ValueType;
  /** The SQL expression of the column, shown in hovers and completion details. */
  readonly sql?: string;
}

/** What an expression is checked against. */
export interface ExpressionContext {
  /**
   * The result columns of the check's SQL. Absent when they cannot be known (the SQL does not
   * parse, or selects `*`): names are then not checked.
   */
  readonly columns?: readonly ResultColumn[];
  /** SQL of result columns without a name (an expression without AS), to suggest an alias. */
  readonly unnamed?: readonly string[];
}

/** A value of the result row, as a SQL engine returns it (BIGINT as bigint). */
export type RowValue = number | bigint | string | boolean | null;

/** The result row of a check's SQL, by column name. */
export type ResultRow = Readonly<Record<string, RowValue>>;

/** Finds a column the way SQL engines resolve names: the exact name first, then ignoring case. */
export function findByName<T>(items: Iterable<T>, name: string, nameOf: (item: T) => string): T | undefined {
  let folded: T | undefined;
  const lower = name.toLowerCase();
  for (const item of items) {
    const candidate = nameOf(item);
    if (candidate === name) return item;
    if (folded === undefined && candidate.toLowerCase() === lower) folded = item;
  }
  return folded;
}

/**
 * The candidate closest to `name` by edit distance, when close enough to be a plausible typo
 * (at most a third of the longer name, and at most 4 edits).
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(4, Math.max(1, Math.ceil(Math.max(name.length, best.length) / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
