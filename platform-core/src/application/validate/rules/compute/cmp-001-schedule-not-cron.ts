import { defineRule } from '../../rule.js';
import { SCHEDULE_TYPES } from '../../../../domain/manifest/schemas/compute.js';
import type { Fix } from '../../../../domain/finding.js';
import { insertAfterFix, isObject, removeEntryFix, valueOf } from '../../product-unit.js';

export const cmp001ScheduleNotCron = defineRule({
  code: 'CMP-001',
  scope: 'product',
  severity: 'warning',
  family: 'compute',
  tier: 'full',
  title: 'expression and timezone only come with cron schedules',
  explain: {
    why: 'schedule.expression and schedule.timezone only drive cron schedules. With type event (the default: run when the inputs publish) or manual (run on request), they are ignored — the product does not run at the time the expression suggests. Usually `type: cron` was forgotten, or the schedule was switched to event and the expression left behind.',
    bad: 'schedule:\n  expression: "0 6 * * *"   # ignored: type defaults to event\n  timezone: Africa/Nairobi',
    good: 'schedule:\n  type: cron\n  expression: "0 6 * * *"\n  timezone: Africa/Nairobi\n# or, to run when the inputs publish:\nschedule:\n  type: event',
  },
  check(ctx) {
    const schedule = valueOf(ctx.unit, 'Compute')?.['schedule'];
    if (!isObject(schedule)) return;
    const type = schedule['type'];
    if (type === 'cron') return;
    if (type !== undefined && !(SCHEDULE_TYPES as readonly unknown[]).includes(type)) return; // SCH-003
    const declared = type !== undefined;
    const effective = declared ? String(type) : 'event';
    for (const key of ['expression', 'timezone'] as const) {
      const value = schedule[key];
      if (value === undefined) continue;
      const path = `/schedule/${key}`;
      let fix: Fix | undefined;
      if (!declared && key === 'expression')
        fix = insertAfterFix(ctx.unit, 'Compute', path, 'type: cron', 'Make the schedule a cron schedule');
      else if (declared) fix = removeEntryFix(ctx.unit, 'Compute', path, `Remove the ignored schedule.${key}`);
      ctx.report(
        { kind: 'Compute', path, part: 'key' },
        `schedule.${key}${typeof value === 'string' ? ` '${value}'` : ''} is ignored: schedule.type is ${declared ? `'${effective}'` : `not set (it defaults to 'event')`}, not 'cron'`,
        {
          hint: declared
            ? `Remove schedule.${key}, or set \`type: cron\` to run on the expression.`
            : `Add \`type: cron\` to the schedule to run on the expression, or remove schedule.${key} to run when the inputs publish.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
