import type { Rule } from '../../rule.js';
import { cmp001ScheduleNotCron } from './cmp-001-schedule-not-cron.js';
import { cmp002RuntimeExtension } from './cmp-002-runtime-extension.js';
import { cmp003RequirementsSql } from './cmp-003-requirements-sql.js';
import { cmp004EntrypointMissing } from './cmp-004-entrypoint-missing.js';
import { cmp005TimeoutSchedule } from './cmp-005-timeout-schedule.js';

/** Rules of the 'compute' family, one file each. */
export const computeRules: readonly Rule[] = [
  cmp001ScheduleNotCron,
  cmp002RuntimeExtension,
  cmp003RequirementsSql,
  cmp004EntrypointMissing,
  cmp005TimeoutSchedule,
];
