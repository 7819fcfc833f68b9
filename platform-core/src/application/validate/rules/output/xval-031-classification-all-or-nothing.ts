import { defineRule } from '../../rule.js';
import type { Fix } from '../../../../domain/finding.js';
import { indexed, insertAfterFix, productClassification, str, valueOf } from '../../product-unit.js';

export const xval031ClassificationAllOrNothing = defineRule({
  code: 'XVAL-031',
  scope: 'product',
  severity: 'error',
  family: 'output',
  tier: 'full',
  title: 'Column classification is all-or-nothing',
  explain: {
    why: 'Column classifications drive masking and column-level access at the serving boundary. Once one column is classified, an unclassified column is ambiguous: does it inherit the product level, or was it forgotten? The akili/v1 format therefore requires all or nothing — when one column has `classification`, every column must have one.',
    bad: 'schema:\n  - name: customer_id\n    type: integer\n    classification: internal\n  - name: email\n    type: string          # no classification',
    good: 'schema:\n  - name: customer_id\n    type: integer\n    classification: internal\n  - name: email\n    type: string\n    classification: restricted',
  },
  check(ctx) {
    const entries = indexed(valueOf(ctx.unit, 'Output')?.['schema']);
    const classified = entries.filter((e) => e.raw['classification'] !== undefined);
    if (classified.length === 0 || classified.length === entries.length) return;
    const example = str(classified[0]?.raw['name']);
    const level = productClassification(ctx.unit);
    for (const { index, raw } of entries) {
      if (raw['classification'] !== undefined) continue;
      const name = str(raw['name']);
      const label = name !== undefined ? `column '${name}'` : `column ${index + 1}`;
      let fix: Fix | undefined;
      if (level !== undefined && name !== undefined) {
        fix = insertAfterFix(
          ctx.unit,
          'Output',
          `/schema/${index}/name`,
          `classification: ${level}`,
          `Classify '${name}' as ${level} (the product level)`,
        );
      }
      ctx.report(
        { kind: 'Output', path: `/schema/${index}/classification` },
        `${label} has no classification, but ${classified.length} other column${classified.length === 1 ? '' : 's'}${example ? ` (e.g. '${example}')` : ''} ${classified.length === 1 ? 'has' : 'have'} one; column classification is all-or-nothing`,
        {
          hint: `Add \`classification:\` (public, internal, confidential or restricted) to ${label}${level ? ` — '${level}' is the product level` : ''}, or remove classification from every column.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
