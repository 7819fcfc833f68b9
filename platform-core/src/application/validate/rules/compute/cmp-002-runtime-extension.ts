import { defineRule } from '../../rule.js';
import { str, valueOf } from '../../product-unit.js';

const RUNTIME_OF_EXTENSION: Record<string, 'sql' | 'python'> = { '.sql': 'sql', '.py': 'python' };

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

export const cmp002RuntimeExtension = defineRule({
  code: 'CMP-002',
  scope: 'product',
  severity: 'error',
  family: 'compute',
  tier: 'full',
  title: 'The runtime matches the entrypoint',
  explain: {
    why: 'The runtime decides how the entrypoint is executed: sql runs a .sql file as one SELECT (DuckDB, or Spark for large inputs), python imports a .py module. A sql runtime cannot run a Python file, nor python a SQL file, and any other kind of file cannot be run at all. Without `runtime`, it follows from the entrypoint’s extension.',
    bad: 'runtime: sql\nentrypoint: logic/transform.py',
    good: 'runtime: python\nentrypoint: logic/transform.py\n# or leave runtime out: it follows from the extension',
  },
  check(ctx) {
    const compute = valueOf(ctx.unit, 'Compute');
    if (!compute) return;
    const entrypoint = str(compute['entrypoint']);
    if (entrypoint === undefined || entrypoint.trim() === '') return;
    const ext = extensionOf(entrypoint.trim());
    const wanted = RUNTIME_OF_EXTENSION[ext];
    if (!wanted) {
      ctx.report(
        { kind: 'Compute', path: '/entrypoint' },
        `entrypoint '${entrypoint}' is neither a .sql nor a .py file; no runtime can run it`,
        {
          hint: 'Point entrypoint at the logic file: a .sql file (runtime sql) or a .py file (runtime python).',
        },
      );
      return;
    }
    const runtime = compute['runtime'];
    if (runtime !== 'sql' && runtime !== 'python') return; // absent (derived) or SCH-003
    if (runtime === wanted) return;
    const fix = ctx.replaceFix('Compute', '/runtime', wanted, `Set runtime to ${wanted}`);
    ctx.report(
      { kind: 'Compute', path: '/runtime' },
      `runtime '${runtime}' cannot run entrypoint '${entrypoint}', a ${ext} file`,
      {
        hint: `Set \`runtime: ${wanted}\` (or remove runtime: it follows from the extension), or point entrypoint at a ${runtime === 'sql' ? '.sql' : '.py'} file.`,
        ...(fix ? { fix } : {}),
      },
    );
  },
});
