import { defineRule } from '../../rule.js';
import { parseKeyTemplate, placeholders } from '../../../../domain/key-template.js';
import { endpointList, exactStringSpan, outputColumns, str } from '../../product-unit.js';

export const srv006KeyTemplateUnique = defineRule({
  code: 'SRV-006',
  scope: 'product',
  severity: 'warning',
  family: 'serving',
  tier: 'full',
  title: 'Realtime keys include the whole primary key',
  explain: {
    why: 'A realtime endpoint writes one Redis key per row. When key_template has no placeholder, or leaves out a primary key column, several rows produce the same key and each write overwrites the previous one: readers get an arbitrary row. Include every primary key column as a placeholder (extra columns are fine).',
    bad: '# primary key: outlet_id, sale_date\nendpoints:\n  - type: realtime\n    config:\n      key_template: "outlet:{outlet_id}"',
    good: 'endpoints:\n  - type: realtime\n    config:\n      key_template: "outlet:{outlet_id}:daily:{sale_date}"',
  },
  check(ctx) {
    const keys = [
      ...new Set(
        outputColumns(ctx.unit)
          .filter((c) => c.primaryKey)
          .map((c) => c.name),
      ),
    ];
    const manifest = ctx.unit.manifests.Serving;
    for (const endpoint of endpointList(ctx.unit)) {
      if (endpoint.type !== 'realtime' || !endpoint.config) continue;
      const template = str(endpoint.config['key_template']);
      if (template === undefined) continue;
      const parsed = parseKeyTemplate(template);
      if (!parsed.ok) continue;
      const used = new Set(placeholders(parsed.parts).map((p) => p.column));
      const missing = keys.filter((k) => !used.has(k));
      const path = `/endpoints/${endpoint.index}/config/key_template`;
      const span = exactStringSpan(ctx.unit, 'Serving', path, template);
      const suffix = missing.map((k) => `:{${k}}`).join('');
      const fix =
        span && manifest && missing.length > 0
          ? {
              title: `Add ${missing.map((k) => `{${k}}`).join(', ')} to the key`,
              edits: [
                {
                  file: span.file,
                  range: manifest.doc.rangeAt(span.start + template.length, span.start + template.length),
                  newText: suffix,
                },
              ],
            }
          : undefined;
      if (used.size === 0) {
        ctx.report(
          { kind: 'Serving', path },
          `key_template '${template}' has no placeholder: every row is written to the same Redis key`,
          {
            hint: `Add {column} placeholders for the primary key${keys.length > 0 ? ` (${keys.map((k) => `{${k}}`).join(', ')})` : ''}, e.g. "${template}${suffix || ':{id}'}".`,
            ...(fix ? { fix } : {}),
          },
        );
      } else if (missing.length > 0) {
        ctx.report(
          { kind: 'Serving', path },
          `key_template '${template}' leaves out primary key column${missing.length === 1 ? '' : 's'} ${missing.map((k) => `'${k}'`).join(', ')}: rows that differ only there overwrite each other`,
          {
            hint: `Add ${missing.map((k) => `{${k}}`).join(', ')} to the template, e.g. "${template}${suffix}".`,
            ...(fix ? { fix } : {}),
          },
        );
      }
    }
  },
});
