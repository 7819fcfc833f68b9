import { defineRule } from '../../rule.js';
import { durationSeconds } from '../../../../domain/duration.js';
import { isObject, str, valueOf } from '../../product-unit.js';

const MAX_DAYS = 180;

export const prd001DeprecationWindow = defineRule({
  code: 'PRD-001',
  scope: 'product',
  severity: 'error',
  family: 'product',
  tier: 'full',
  title: 'The deprecation window is at most 180 days',
  explain: {
    why: 'After a breaking (major) release, the previous major version stays live for versioning.deprecation_window so consumers can migrate. The platform keeps at most 180 days of overlap: every live major is computed, stored and served in parallel, and an open-ended window means consumers never move. A longer window is refused at deploy.',
    bad: 'versioning:\n  deprecation_window: 365d',
    good: 'versioning:\n  deprecation_window: 180d   # or less; the default is 90d\n  migration_guide: "order_total was split into net_total and tax_total"',
  },
  check(ctx) {
    const versioning = valueOf(ctx.unit, 'DataProduct')?.['versioning'];
    if (!isObject(versioning)) return;
    const window = str(versioning['deprecation_window']);
    if (window === undefined) return;
    const seconds = durationSeconds(window);
    if (seconds === undefined || seconds <= MAX_DAYS * 86400) return;
    const path = '/versioning/deprecation_window';
    const days = Math.round((seconds / 86400) * 10) / 10;
    const fix = ctx.replaceFix('DataProduct', path, `${MAX_DAYS}d`, `Shorten the deprecation window to ${MAX_DAYS}d`);
    ctx.report(
      { kind: 'DataProduct', path },
      `versioning.deprecation_window '${window}' (${days} days) is longer than the maximum of ${MAX_DAYS}d`,
      {
        hint: `Use at most ${MAX_DAYS}d (the default is 90d). Consumers that need longer should be helped to migrate, e.g. with versioning.migration_guide.`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
