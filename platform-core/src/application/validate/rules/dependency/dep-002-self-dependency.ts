import { defineRule } from '../../rule.js';
import { resolveInput } from './graph.js';

export const dep002SelfDependency = defineRule({
  code: 'DEP-002',
  scope: 'product',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'A product does not read itself',
  explain: {
    why: 'A product that lists its own name as an input waits for its own data.available event before it can produce it, so it never runs. To build on the previous state of the output (an accumulating or incremental product), express that in the logic, not as an input.',
    bad: '# product.yaml: name: orders\n# inputs.yaml\ninputs:\n  - id: orders\n    type: data_product',
    good: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental',
  },
  check(ctx) {
    const reader = ctx.index.summaryOf(ctx.unit);
    if (!reader || reader.name === null) return;
    for (const input of reader.upstream) {
      if (input.id !== reader.name || !resolveInput(ctx.index, reader, input.id).self) continue;
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/id` },
        `product '${reader.name}' lists itself as input '${input.id}'`,
        {
          hint: `Remove the input '${input.id}': a product cannot wait for its own output. Read the sources of '${reader.name}' instead, or move the shared part into a separate upstream product.`,
        },
      );
    }
  },
});
