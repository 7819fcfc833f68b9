import { defineRule } from '../../rule.js';
import type { TextEdit } from '../../../../domain/finding.js';
import { checkList, str } from '../../product-unit.js';

/** Placeholders people write for the output table by mistake (older dialects, typos). */
const WRONG_PLACEHOLDER = /\{\s*(?:table|this|self|output_table|output)\s*\}/gi;

export const qua006CustomSqlOutput = defineRule({
  code: 'QUA-006',
  scope: 'product',
  severity: 'warning',
  family: 'quality',
  tier: 'full',
  title: 'custom_sql checks read {output}',
  explain: {
    why: 'A custom_sql check tests the snapshot being promoted: the platform replaces {output} with the tenant- and partition-scoped output table of this run. A query that does not read {output} tests something else — a hard-coded table, another product, or a constant — so it passes or fails regardless of the new data. The older {table} placeholder is not replaced any more.',
    bad: 'checks:\n  - name: one_row_per_customer\n    type: custom_sql\n    sql: SELECT COUNT(*) - COUNT(DISTINCT customer_id) AS failures FROM {table}\n    expect: "failures = 0"',
    good: 'checks:\n  - name: one_row_per_customer\n    type: custom_sql\n    sql: SELECT COUNT(*) - COUNT(DISTINCT customer_id) AS failures FROM {output}\n    expect: "failures = 0"',
  },
  check(ctx) {
    const manifest = ctx.unit.manifests.Quality;
    for (const check of checkList(ctx.unit)) {
      if (check.type !== 'custom_sql') continue;
      const sql = str(check.raw['sql']);
      if (sql === undefined || sql.trim() === '' || sql.includes('{output}')) continue;
      const path = `/checks/${check.index}/sql`;
      const edits: TextEdit[] = [];
      const span = manifest?.doc.scalarSpan(path);
      if (manifest && span) {
        const source = manifest.doc.text.slice(span.start, span.end);
        for (const m of source.matchAll(WRONG_PLACEHOLDER)) {
          const at = span.start + (m.index ?? 0);
          edits.push({ file: manifest.file, range: manifest.doc.rangeAt(at, at + m[0].length), newText: '{output}' });
        }
      }
      const wrong = sql.match(WRONG_PLACEHOLDER)?.[0];
      ctx.report(
        { kind: 'Quality', path },
        `custom_sql check '${check.name ?? check.index + 1}' does not read {output}${wrong ? ` (it uses '${wrong}')` : ''}, so it does not test this product's new snapshot`,
        {
          hint: `Query the output table as {output}, e.g. \`SELECT COUNT(*) AS failures FROM {output} WHERE ...\`.`,
          ...(edits.length > 0 ? { fix: { title: 'Read {output}', edits } } : {}),
        },
      );
    }
  },
});
