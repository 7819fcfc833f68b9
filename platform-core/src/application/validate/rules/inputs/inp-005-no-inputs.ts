import { defineRule } from '../../rule.js';
import { valueOf } from '../../product-unit.js';

export const inp005NoInputs = defineRule({
  code: 'INP-005',
  scope: 'product',
  severity: 'warning',
  family: 'inputs',
  tier: 'full',
  title: 'A product reads at least one input',
  explain: {
    why: 'A data product transforms what it reads: source-aligned products read external systems through connector inputs, aggregate and consumer products read other products. With no inputs at all the logic has nothing to read, an event schedule never fires (there is no upstream data.available), and the product is not part of the lineage graph. It is a warning because a product of constants (a calendar, a static code list) is conceivable.',
    bad: 'apiVersion: akili/v1\nkind: Inputs\ninputs: []',
    good: 'apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: full_refresh\n  - id: customers\n    type: data_product',
  },
  check(ctx) {
    const inputs = valueOf(ctx.unit, 'Inputs')?.['inputs'];
    if (!Array.isArray(inputs) || inputs.length > 0) return;
    ctx.report(
      { kind: 'Inputs', path: '/inputs' },
      'inputs.yaml declares no inputs (inputs: []); the product has nothing to read',
      {
        hint: 'Add a connector input (an external source through a connection of hekima.yaml) or a data_product input (another product of the workspace) under `inputs:`.',
      },
    );
  },
});
