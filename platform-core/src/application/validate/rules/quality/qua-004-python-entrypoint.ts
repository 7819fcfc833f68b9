import { defineRule } from '../../rule.js';
import { nearest } from '../../../../domain/nearest.js';
import { checkList, nameList, normalizeRelative, str } from '../../product-unit.js';

export const qua004PythonEntrypoint = defineRule({
  code: 'QUA-004',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'custom_python checks point at a file of the product',
  explain: {
    why: 'A custom_python check runs the check(output) function of a .py file shipped with the product. The entrypoint is a path relative to the product folder; when the file is not there, the check cannot be loaded, fails after every run and — when blocking — stops the product from publishing. Files outside the product folder are not deployed with it.',
    bad: '# orders/quality.yaml; the file is orders/checks/revenue_drift.py\nchecks:\n  - name: revenue_drift\n    type: custom_python\n    entrypoint: checks/revenue-drift.py     # no such file',
    good: '# orders/quality.yaml\nchecks:\n  - name: revenue_drift\n    type: custom_python\n    entrypoint: checks/revenue_drift.py     # relative to the product folder',
  },
  check(ctx) {
    const pythonFiles = [...ctx.unit.files].filter((f) => f.endsWith('.py')).sort();
    for (const check of checkList(ctx.unit)) {
      if (check.type !== 'custom_python') continue;
      const entrypoint = str(check.raw['entrypoint']);
      if (entrypoint === undefined || entrypoint.trim() === '') continue;
      const rel = normalizeRelative(entrypoint.trim());
      if (ctx.unit.files.has(rel)) continue;
      const path = `/checks/${check.index}/entrypoint`;
      const outside = rel.startsWith('/') || rel.split('/').includes('..');
      const near = outside ? undefined : nearest(rel, pythonFiles);
      const fix = near ? ctx.replaceFix('Quality', path, near, `Use '${near}'`) : undefined;
      ctx.report(
        { kind: 'Quality', path },
        outside
          ? `custom_python check '${check.name ?? check.index + 1}' entrypoint '${entrypoint}' is outside the product folder`
          : `custom_python check '${check.name ?? check.index + 1}' entrypoint '${entrypoint}' does not exist in the product folder`,
        {
          hint: `${near ? `Did you mean '${near}'? ` : ''}${
            pythonFiles.length > 0
              ? `Python files of the product: ${nameList(pythonFiles)}.`
              : 'The product has no .py file.'
          } Create the file (relative to the product folder, defining check(output)) or correct the path.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
