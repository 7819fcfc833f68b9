import { defineRule } from '../../rule.js';
import { connectionOf, connectorInputs } from './connections.js';

export const con006InvalidPathPattern = defineRule({
  code: 'CON-006',
  scope: 'product',
  severity: 'error',
  family: 'connector',
  tier: 'full',
  title: "A file input's path pattern is a valid glob",
  explain: {
    why: 'ingestion_config.path of a file input is a file name or a glob: * (one segment), ** (any depth), ?, [12] or [a-c] (one of), {a,b} (either). An unbalanced bracket, brace or parenthesis is not a pattern that could match later: it is a mistake, reported here rather than retried at run time (a valid pattern that matches no file yet is a transient wait governed by the input timeout and fallback). Escape a literal bracket with a backslash.',
    bad: 'ingestion_config:\n  path: sales-[12.csv',
    good: 'ingestion_config:\n  path: sales-[12].csv       # sales-1.csv and sales-2.csv; sales-{a,b}.csv works too',
  },
  check(ctx) {
    const patterns = ctx.patterns;
    if (!patterns) return;
    for (const input of connectorInputs(ctx.unit)) {
      const written = input.config['path'];
      if (typeof written !== 'string' || connectionOf(ctx.index, input)?.type !== 'file') continue;
      const problem = patterns.problem(written.replace(/^\.\//, ''));
      if (problem === undefined) continue;
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/ingestion_config/path` },
        `input '${input.id}' path '${written}' is not a valid pattern: ${problem.replace(/ - use .*$/, '')}`,
        {
          hint: 'Close the bracket, brace or parenthesis ([12], {a,b}), or escape a literal one with a backslash (\\[). In YAML, quote a pattern that starts with * or {.',
        },
      );
    }
  },
});
