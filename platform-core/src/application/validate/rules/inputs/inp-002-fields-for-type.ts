import { defineRule } from '../../rule.js';
import { inputList, removeEntryFix } from '../../product-unit.js';

const ONLY_FOR: Record<string, { fields: readonly string[]; other: string; why: string }> = {
  data_product: {
    fields: ['connector_ref', 'ingestion_strategy', 'ingestion_config', 'fitness'],
    other: 'connector',
    why: 'an upstream product is read from its published snapshots, not extracted through a connection',
  },
  connector: {
    fields: ['version', 'partition_mapping'],
    other: 'data_product',
    why: 'a connector extract has no version and no partitions of its own',
  },
};

export const inp002FieldsForType = defineRule({
  code: 'INP-002',
  scope: 'product',
  severity: 'warning',
  family: 'inputs',
  tier: 'full',
  title: 'Input fields apply to the input type',
  explain: {
    why: 'data_product inputs and connector inputs take different settings. connector_ref, ingestion_strategy, ingestion_config and fitness only apply to connector inputs (an extract from an external system); version and partition_mapping only apply to data_product inputs (another product’s snapshots). A setting on the wrong type is silently ignored, which usually means the type is wrong or the setting was copied from another input.',
    bad: 'inputs:\n  - id: orders\n    type: data_product\n    connector_ref: shop-db          # ignored\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: full_refresh\n    version: ">=1.0.0"              # ignored',
    good: 'inputs:\n  - id: orders\n    type: data_product\n    version: ">=1.0.0"\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: full_refresh',
  },
  check(ctx) {
    for (const input of inputList(ctx.unit)) {
      const rule = input.type === undefined ? undefined : ONLY_FOR[input.type];
      if (!rule) continue;
      for (const field of rule.fields) {
        if (!(field in input.raw)) continue;
        const path = `/inputs/${input.index}/${field}`;
        const fix = removeEntryFix(ctx.unit, 'Inputs', path, `Remove '${field}' from input '${input.id}'`);
        ctx.report(
          { kind: 'Inputs', path, part: 'key' },
          `'${field}' does not apply to ${input.type} input '${input.id}'; it only applies to ${rule.other} inputs and is ignored`,
          {
            hint: `Remove '${field}' (${rule.why}), or change the type to ${rule.other} if '${input.id}' is really read that way.`,
            ...(fix ? { fix } : {}),
          },
        );
      }
    }
  },
});
