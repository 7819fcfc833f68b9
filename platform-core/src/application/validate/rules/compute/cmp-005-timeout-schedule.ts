import { Cron } from 'croner';
import { defineRule } from '../../rule.js';
import { durationSeconds } from '../../../../domain/duration.js';
import { isObject, str, valueOf } from '../../product-unit.js';

const DAY = 86400;
const intervalCache = new Map<string, number | undefined>();

/** The shortest time between two consecutive runs of a cron expression (in UTC), in seconds. */
function shortestInterval(expression: string): number | undefined {
  if (intervalCache.has(expression)) return intervalCache.get(expression);
  let shortest: number | undefined;
  try {
    const runs = new Cron(expression, { paused: true, timezone: 'UTC' }).nextRuns(200, new Date(Date.UTC(2025, 0, 1)));
    for (let i = 1; i < runs.length; i++) {
      const a = runs[i - 1];
      const b = runs[i];
      if (!a || !b) continue;
      const gap = (b.getTime() - a.getTime()) / 1000;
      if (gap > 0 && (shortest === undefined || gap < shortest)) shortest = gap;
    }
  } catch {
    shortest = undefined; // SCH-005 reports malformed expressions
  }
  if (intervalCache.size > 500) intervalCache.clear();
  intervalCache.set(expression, shortest);
  return shortest;
}

function human(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export const cmp005TimeoutSchedule = defineRule({
  code: 'CMP-005',
  scope: 'product',
  severity: 'warning',
  family: 'compute',
  tier: 'full',
  title: 'The run timeout fits the schedule',
  explain: {
    why: 'resources.timeout is the longest a run may take before it is killed. When it is longer than the time between two runs of a cron schedule, a slow run is still going when the next one is due: runs queue up or overlap on the same output, and freshness alarms (2 × the interval) fire while the platform thinks everything is fine. Independently of the schedule, a timeout above 24h hides runaway jobs for more than a day. Keep the timeout below the interval (and at most 24h), or run less often.',
    bad: 'schedule:\n  type: cron\n  expression: "0 * * * *"   # hourly\nresources:\n  timeout: 2h',
    good: 'schedule:\n  type: cron\n  expression: "0 * * * *"\nresources:\n  timeout: 45m',
  },
  check(ctx) {
    const compute = valueOf(ctx.unit, 'Compute');
    const resources = compute?.['resources'];
    if (!isObject(resources)) return;
    const timeout = str(resources['timeout']);
    const seconds = timeout === undefined ? undefined : durationSeconds(timeout);
    if (timeout === undefined || seconds === undefined) return;
    const path = '/resources/timeout';
    const schedule = compute?.['schedule'];
    const expression = isObject(schedule) && schedule['type'] === 'cron' ? str(schedule['expression']) : undefined;
    const interval = expression === undefined ? undefined : shortestInterval(expression);
    if (interval !== undefined && seconds > interval) {
      ctx.report(
        { kind: 'Compute', path },
        `resources.timeout '${timeout}' is longer than the ${human(interval)} between two runs of the cron schedule '${expression}': a slow run overlaps the next one`,
        { hint: `Lower resources.timeout below ${human(interval)}, or run less often.` },
      );
    } else if (seconds > DAY) {
      ctx.report({ kind: 'Compute', path }, `resources.timeout '${timeout}' is longer than 24h`, {
        hint: 'Keep a run under 24h: split the work (e.g. incremental inputs, partitions), or raise resources.cpu/memory; a day-long timeout hides stuck runs.',
      });
    }
  },
});
