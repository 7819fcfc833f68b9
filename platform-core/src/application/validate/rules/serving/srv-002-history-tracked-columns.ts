import { defineRule } from '../../rule.js';
import { endpointList, insertAfterFix, outputColumns, str } from '../../product-unit.js';

export const srv002HistoryTrackedColumns = defineRule({
  code: 'SRV-002',
  scope: 'product',
  severity: 'error',
  family: 'serving',
  tier: 'full',
  title: 'History modes other than current list tracked_columns',
  explain: {
    why: 'A lookup endpoint with history_mode type_2 keeps a new row version (valid-from / valid-to) whenever a tracked column changes; type_3 keeps previous-value columns for the tracked columns. Without tracked_columns the store cannot tell which changes open a new version, so the endpoint cannot be created. history_mode current (the default) keeps only the latest row and needs none.',
    bad: 'endpoints:\n  - type: lookup\n    config:\n      history_mode: type_2',
    good: 'endpoints:\n  - type: lookup\n    config:\n      history_mode: type_2\n      tracked_columns: [segment, country]',
  },
  check(ctx) {
    for (const endpoint of endpointList(ctx.unit)) {
      if (endpoint.type !== 'lookup' || !endpoint.config) continue;
      const mode = str(endpoint.config['history_mode']);
      if (mode !== 'type_2' && mode !== 'type_3') continue;
      if (endpoint.config['tracked_columns'] !== undefined) continue;
      const path = `/endpoints/${endpoint.index}/config/history_mode`;
      const candidates = outputColumns(ctx.unit)
        .filter((c) => !c.primaryKey && c.role !== 'identity')
        .map((c) => c.name);
      const unique = [...new Set(candidates)];
      const fix =
        unique.length > 0
          ? insertAfterFix(
              ctx.unit,
              'Serving',
              path,
              `tracked_columns: [${unique.join(', ')}]`,
              'Track every non-key column',
            )
          : undefined;
      ctx.report({ kind: 'Serving', path }, `lookup endpoint has history_mode '${mode}' but no tracked_columns`, {
        hint: `Add \`tracked_columns: [...]\` with the columns whose changes open a new version${unique.length > 0 ? ` (non-key columns: ${unique.join(', ')})` : ''}, or use history_mode current.`,
        ...(fix ? { fix } : {}),
      });
    }
  },
});
