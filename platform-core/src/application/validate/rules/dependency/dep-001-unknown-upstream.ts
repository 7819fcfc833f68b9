import { defineRule } from '../../rule.js';
import { nearest } from '../../../../domain/nearest.js';

/** Distinct unknown ids that get a suggestion (each costs one pass over every product name). */
const MAX_SUGGESTED_IDS = 200;

/**
 * Suggestions survive index rebuilds while the set of product names stays the same (the usual
 * case while editing), so a workspace with many broken ids pays the nearest-name search once.
 */
let cache: { names: string; suggestions: Map<string, string | undefined> } | undefined;

export const dep001UnknownUpstream = defineRule({
  code: 'DEP-001',
  scope: 'workspace',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'A data_product input names a product of the workspace',
  explain: {
    why: 'A data_product input id is the metadata.name of the upstream product. When no product of the workspace has that name the product can never run: the scheduler waits for data.available events that nothing publishes, and the logic reads a table that does not exist. Usually it is a typo or a product that was renamed.',
    bad: '# inputs.yaml of customer-orders; the product is called orders\ninputs:\n  - id: order\n    type: data_product',
    good: 'inputs:\n  - id: orders\n    type: data_product\n    version: ^1.0.0',
  },
  check(ctx) {
    const { index } = ctx;
    const names = index.names();
    const key = names.join('\n');
    if (cache?.names !== key) cache = { names: key, suggestions: new Map() };
    const suggestions = cache.suggestions;
    for (const summary of index.summaries) {
      for (const input of summary.upstream) {
        if (index.productsNamed(input.id).length > 0) continue;
        if (!suggestions.has(input.id)) {
          suggestions.set(input.id, suggestions.size < MAX_SUGGESTED_IDS ? nearest(input.id, names) : undefined);
        }
        const suggestion = suggestions.get(input.id);
        const path = `/inputs/${input.index}/id`;
        const fix =
          suggestion === undefined
            ? undefined
            : ctx.replaceFix(summary.unit, 'Inputs', path, suggestion, `Read '${suggestion}' instead`);
        ctx.report(summary.unit, { kind: 'Inputs', path }, `input '${input.id}' names no product of the workspace`, {
          hint:
            suggestion !== undefined
              ? `Did you mean '${suggestion}'? A data_product input id is the metadata.name of another product in this workspace.`
              : `A data_product input id is the metadata.name of another product in this workspace. Create the product '${input.id}', fix the id, or, for an external source, declare a connector input (type: connector, connector_ref: <connection>).`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
