import { defineRule } from '../../rule.js';
import { parseKeyTemplate, placeholders } from '../../../../domain/key-template.js';
import { nearest } from '../../../../domain/nearest.js';
import { endpointList, exactStringSpan, nameList, outputColumnMap, str } from '../../product-unit.js';

export const srv003KeyTemplateColumn = defineRule({
  code: 'SRV-003',
  scope: 'product',
  severity: 'error',
  family: 'serving',
  tier: 'full',
  title: 'key_template placeholders are output columns',
  explain: {
    why: 'A realtime endpoint writes one Redis key per row, built by replacing each {column} of key_template with that row’s value. A placeholder that is not a column of output.yaml has no value, so the keys cannot be built and the refresh fails. Use {{ and }} for literal braces.',
    bad: 'endpoints:\n  - type: realtime\n    config:\n      key_template: "outlet:{outlet}:daily:{sale_date}"',
    good: 'endpoints:\n  - type: realtime\n    config:\n      key_template: "outlet:{outlet_id}:daily:{sale_date}"',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    if (columns.size === 0) return;
    for (const endpoint of endpointList(ctx.unit)) {
      if (endpoint.type !== 'realtime' || !endpoint.config) continue;
      const template = str(endpoint.config['key_template']);
      if (template === undefined) continue;
      const parsed = parseKeyTemplate(template);
      if (!parsed.ok) continue; // SCH-005 (key-template format)
      const path = `/endpoints/${endpoint.index}/config/key_template`;
      const span = exactStringSpan(ctx.unit, 'Serving', path, template);
      const manifest = ctx.unit.manifests.Serving;
      for (const p of placeholders(parsed.parts)) {
        if (columns.has(p.column)) continue;
        const near = nearest(p.column, columns.keys());
        const hint = `${near ? `Did you mean '${near}'? ` : ''}Placeholders name columns of output.yaml: ${nameList(columns.keys())}. Write {{ or }} for a literal brace.`;
        const message = `key_template placeholder '{${p.column}}' is not a column of output.yaml`;
        if (span && manifest) {
          const inner = template.indexOf(p.column, p.start + 1);
          const fix = near
            ? {
                title: `Replace '{${p.column}}' with '{${near}}'`,
                edits: [
                  {
                    file: span.file,
                    range: manifest.doc.rangeAt(span.start + inner, span.start + inner + p.column.length),
                    newText: near,
                  },
                ],
              }
            : undefined;
          ctx.report(
            { file: span.file, range: manifest.doc.rangeAt(span.start + p.start, span.start + p.end), path },
            message,
            {
              hint,
              ...(fix ? { fix } : {}),
            },
          );
        } else {
          ctx.report({ kind: 'Serving', path }, message, { hint });
        }
      }
    }
  },
});
