/** Durations of the akili/v1 format: an integer and one unit of s, m, h or d. */
export const DURATION_PATTERN = '^[0-9]+(s|m|h|d)$';
const DURATION_RE = new RegExp(DURATION_PATTERN);
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export function isDuration(value: string): boolean {
  return DURATION_RE.test(value);
}

/** Seconds in a duration string, or undefined when it is not a duration. */
export function durationSeconds(value: string): number | undefined {
  if (!DURATION_RE.test(value)) return undefined;
  const unit = value[value.length - 1] as keyof typeof UNIT_SECONDS;
  return Number(value.slice(0, -1)) * UNIT_SECONDS[unit];
}

/** A plausible correction for common mistakes such as `90 days`, `2hrs`, `1w`, `500ms`. */
export function suggestDuration(value: string): string | undefined {
  const m = /^\s*([0-9]+)\s*([a-zA-Z]+)\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (/^(s|sec|secs|second|seconds)$/.test(unit)) return `${n}s`;
  if (/^(m|min|mins|minute|minutes)$/.test(unit)) return `${n}m`;
  if (/^(h|hr|hrs|hour|hours)$/.test(unit)) return `${n}h`;
  if (/^(d|day|days)$/.test(unit)) return `${n}d`;
  if (/^(w|wk|wks|week|weeks)$/.test(unit)) return `${n * 7}d`;
  if (unit === 'ms') return `${Math.max(1, Math.ceil(n / 1000))}s`;
  return undefined;
}
