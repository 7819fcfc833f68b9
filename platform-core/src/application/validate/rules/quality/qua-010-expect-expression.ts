import type { Fix } from '../../../../domain/finding.js';
import { defineRule } from '../../rule.js';
import { checkList, outputColumns, str } from '../../product-unit.js';
import { checkResultColumns } from '../../check-result-columns.js';
import { encodeForScalar, scalarSource } from '../../scalar-offsets.js';

export const qua010ExpectExpression = defineRule({
  code: 'QUA-010',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'custom_sql expect is a valid condition over the result columns',
  explain: {
    why: "A custom_sql check passes when its expect condition holds on the single result row of its SQL. An expect that does not parse, reads a column the SQL does not return, compares values of different types or compares with null (which is never true) can never pass as intended: the check would fail on every run, or error, and block the product. The result columns are the final SELECT list of the check's SQL.",
    bad: 'checks:\n  - name: one_row_per_customer\n    type: custom_sql\n    sql: SELECT COUNT(*) - COUNT(DISTINCT customer_id) AS failures FROM {output}\n    expect: "failure == 0"',
    good: 'checks:\n  - name: one_row_per_customer\n    type: custom_sql\n    sql: SELECT COUNT(*) - COUNT(DISTINCT customer_id) AS failures FROM {output}\n    expect: "failures = 0"',
  },
  check(ctx) {
    const manifest = ctx.unit.manifests.Quality;
    if (!manifest) return;
    const outputNames = outputColumns(ctx.unit).map((c) => c.name);
    for (const check of checkList(ctx.unit)) {
      if (check.type !== 'custom_sql') continue;
      const expect = str(check.raw['expect']);
      if (expect === undefined || expect === '') continue; // the schema pass reports a missing expect
      const sql = str(check.raw['sql']);
      const columns = sql === undefined ? {} : checkResultColumns(sql, ctx.sql, outputNames);
      const path = `/checks/${check.index}/expect`;
      const source = scalarSource(manifest, path, expect);
      const label = check.name ?? `#${check.index + 1}`;
      for (const problem of ctx.expressions.check(expect, columns)) {
        const message = `expect of check '${label}': ${problem.message}`;
        if (!source) {
          ctx.report({ kind: 'Quality', path }, message, { hint: problem.hint });
          continue;
        }
        const range = source.rangeOf(problem.start, problem.end);
        const newText =
          problem.replacement === undefined ? undefined : encodeForScalar(problem.replacement, source.style);
        const fix: Fix | undefined =
          newText === undefined
            ? undefined
            : {
                title:
                  problem.replacement === ''
                    ? `Remove '${expect.slice(problem.start, problem.end)}'`
                    : `Replace with ${problem.replacement}`,
                edits: [{ file: source.file, range, newText }],
              };
        ctx.report({ file: source.file, range, path }, message, { hint: problem.hint, ...(fix ? { fix } : {}) });
      }
    }
  },
});
