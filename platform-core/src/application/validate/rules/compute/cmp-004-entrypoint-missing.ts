import { defineRule } from '../../rule.js';
import type { Fix } from '../../../../domain/finding.js';
import { nearest } from '../../../../domain/nearest.js';
import { entrypointOf, insertAfterFix, nameList } from '../../product-unit.js';

export const cmp004EntrypointMissing = defineRule({
  code: 'CMP-004',
  scope: 'product',
  severity: 'error',
  family: 'compute',
  tier: 'full',
  title: 'The logic entrypoint exists',
  explain: {
    why: 'Every run executes the entrypoint: compute.yaml `entrypoint`, or by default logic/transform.sql (logic/transform.py when only that exists or the runtime is python). The path is relative to the product folder. When the file is not there the product cannot run, and nothing of its logic can be checked.',
    bad: '# orders/compute.yaml; the file is orders/logic/transform.sql\nruntime: sql\nentrypoint: logic/transfrom.sql',
    good: '# orders/compute.yaml\nruntime: sql\nentrypoint: logic/transform.sql   # or leave it out: this is the default',
  },
  check(ctx) {
    const manifest = ctx.unit.manifests.Compute;
    if (!manifest) return; // MAN-001
    const { path, declared } = entrypointOf(ctx.unit);
    if (path === '' || ctx.unit.files.has(path)) return;
    const logicFiles = [...ctx.unit.files].filter((f) => /\.(sql|py)$/.test(f) && !f.startsWith('tests/')).sort();
    const listed =
      logicFiles.length > 0
        ? `Logic files of the product: ${nameList(logicFiles)}.`
        : 'The product has no .sql or .py file yet.';
    if (declared) {
      const near = nearest(path, logicFiles);
      const fix = near ? ctx.replaceFix('Compute', '/entrypoint', near, `Use '${near}'`) : undefined;
      ctx.report(
        { kind: 'Compute', path: '/entrypoint' },
        `entrypoint '${path}' does not exist in the product folder`,
        {
          hint: `${near ? `Did you mean '${near}'? ` : ''}${listed} The path is relative to the product folder.`,
          ...(fix ? { fix } : {}),
        },
      );
      return;
    }
    const anchor = manifest.doc.has('/runtime') ? '/runtime' : '/kind';
    const only = logicFiles.length === 1 ? logicFiles[0] : undefined;
    let fix: Fix | undefined;
    if (only)
      fix = insertAfterFix(ctx.unit, 'Compute', anchor, `entrypoint: ${only}`, `Use '${only}' as the entrypoint`);
    ctx.report(
      { kind: 'Compute', path: anchor === '/runtime' ? '/runtime' : '' },
      `the default entrypoint '${path}' does not exist and compute.yaml names no other entrypoint`,
      {
        hint: `Create ${path}, or set \`entrypoint:\` in compute.yaml to the logic file. ${listed}`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
