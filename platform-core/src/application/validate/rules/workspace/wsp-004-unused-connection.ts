import { inputList, isObject, str } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { listEntries } from './workspace-file.js';

export const wsp004UnusedConnection = defineRule({
  code: 'WSP-004',
  scope: 'workspace',
  severity: 'info',
  family: 'workspace',
  tier: 'full',
  title: 'Declared connections are used',
  explain: {
    why: 'A connection no connector input names is dead configuration: it keeps credentials (env references) and hosts around that nobody checks, and is often a leftover of a renamed connector_ref. It is only information: a connection may be declared ahead of the product that will use it.',
    bad: 'connections:\n  - name: shop-files\n    type: file\n  - name: old-erp        # no input has connector_ref: old-erp\n    type: postgres',
    good: 'connections:\n  - name: shop-files\n    type: file',
  },
  check(ctx) {
    const used = new Set<string>();
    for (const summary of ctx.index.summaries) {
      for (const input of inputList(summary.unit)) {
        const ref = str(input.raw['connector_ref']);
        if (ref !== undefined) used.add(ref);
      }
    }
    const reported = new Set<string>();
    for (const { index, raw } of listEntries(ctx.index, 'connections')) {
      if (!isObject(raw) || typeof raw['name'] !== 'string') continue;
      const name = raw['name'];
      if (used.has(name) || reported.has(name)) continue;
      reported.add(name);
      ctx.reportWorkspace(
        { path: `/connections/${index}/name` },
        `connection '${name}' is not used by any connector input`,
        {
          hint: `Remove it if it is a leftover, or read it from an input (type: connector, connector_ref: ${name}).`,
        },
      );
    }
  },
});
