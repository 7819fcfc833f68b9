import { defineRule } from '../../rule.js';
import { isObject, str, valueOf } from '../../product-unit.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export const prd004ReviewDate = defineRule({
  code: 'PRD-004',
  scope: 'product',
  severity: 'warning',
  family: 'product',
  tier: 'full',
  title: 'The retention review date is not in the past',
  explain: {
    why: 'retention.review_date is when the retention policy must next be reviewed (legal basis, period, erasure duties). A date in the past means the review is overdue and the data may be kept longer, or shorter, than is still justified. It is a warning: the data keeps flowing, but the owner should review the policy and set the next date.',
    bad: 'retention:\n  period: 730d\n  basis: event_time\n  review_date: "2020-01-01"',
    good: 'retention:\n  period: 730d\n  basis: event_time\n  review_date: "2027-01-01"   # the next planned review',
  },
  check(ctx) {
    const retention = valueOf(ctx.unit, 'DataProduct')?.['retention'];
    if (!isObject(retention)) return;
    const date = str(retention['review_date']);
    if (date === undefined || !ISO_DATE.test(date) || Number.isNaN(Date.parse(date))) return;
    const now = today();
    if (date >= now) return;
    ctx.report(
      { kind: 'DataProduct', path: '/retention/review_date' },
      `retention.review_date '${date}' is in the past; the retention policy is overdue for review`,
      {
        hint: `Review the retention policy (period and basis) with the data owner, then set review_date to the next planned review (after ${now}).`,
      },
    );
  },
});
