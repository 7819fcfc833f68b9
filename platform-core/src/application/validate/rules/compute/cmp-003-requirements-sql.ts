import { defineRule } from '../../rule.js';
import { entrypointOf, removeEntryFix, valueOf } from '../../product-unit.js';

export const cmp003RequirementsSql = defineRule({
  code: 'CMP-003',
  scope: 'product',
  severity: 'warning',
  family: 'compute',
  tier: 'full',
  title: 'requirements only apply to Python logic',
  explain: {
    why: 'requirements lists pip packages installed into the Python runtime before the logic runs. SQL logic runs in the SQL engine, where no package is installed: the list is ignored, and it usually means the runtime or the entrypoint is not what was intended.',
    bad: 'runtime: sql\nentrypoint: logic/transform.sql\nrequirements: [pandas>=2.0]',
    good: 'runtime: python\nentrypoint: logic/transform.py\nrequirements: [scikit-learn>=1.4]   # pandas, numpy, pyarrow are pre-installed',
  },
  check(ctx) {
    const compute = valueOf(ctx.unit, 'Compute');
    if (!compute) return;
    const requirements = compute['requirements'];
    if (!Array.isArray(requirements) || requirements.length === 0) return;
    const runtime = compute['runtime'];
    const effective =
      runtime === 'sql' || runtime === 'python'
        ? runtime
        : entrypointOf(ctx.unit).path.endsWith('.sql')
          ? 'sql'
          : undefined;
    if (effective !== 'sql') return;
    const fix = removeEntryFix(ctx.unit, 'Compute', '/requirements', 'Remove requirements');
    ctx.report(
      { kind: 'Compute', path: '/requirements', part: 'key' },
      `requirements (${requirements.length} package${requirements.length === 1 ? '' : 's'}) are ignored: the logic runs on the sql runtime`,
      {
        hint: 'Remove requirements, or switch to Python logic (runtime: python with a .py entrypoint) if the packages are needed.',
        ...(fix ? { fix } : {}),
      },
    );
  },
});
