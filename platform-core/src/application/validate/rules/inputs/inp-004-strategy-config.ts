import { defineRule } from '../../rule.js';
import { inputList, isObject, str } from '../../product-unit.js';

const NEEDS: Record<string, { key: string; what: string }> = {
  incremental: {
    key: 'cursor_field',
    what: 'the column holding the high-water mark (e.g. updated_at): each run extracts rows where it is greater than the last value seen',
  },
  snapshot_diff: {
    key: 'primary_key',
    what: 'the key column(s) used to diff each full extract row by row against the previous snapshot',
  },
};

function present(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}

export const inp004StrategyConfig = defineRule({
  code: 'INP-004',
  scope: 'product',
  severity: 'error',
  family: 'inputs',
  tier: 'full',
  title: 'ingestion_config has what the strategy needs',
  explain: {
    why: 'Some ingestion strategies cannot run without a setting: incremental extracts rows past a cursor, so it needs ingestion_config.cursor_field; snapshot_diff compares each full extract with the previous one row by row, so it needs ingestion_config.primary_key. Without them the first run fails at extraction time.',
    bad: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      table: orders',
    good: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      table: orders\n      cursor_field: updated_at\n      primary_key: order_id',
  },
  check(ctx) {
    for (const input of inputList(ctx.unit)) {
      if (input.type !== 'connector') continue;
      const strategy = str(input.raw['ingestion_strategy']);
      const need = strategy === undefined ? undefined : NEEDS[strategy];
      if (!need) continue;
      // Files are read incrementally by file (new files since the last run): no cursor needed.
      const connection = ctx.index.config.connections.get(str(input.raw['connector_ref']) ?? '');
      if (strategy === 'incremental' && connection?.type === 'file') continue;
      const config = input.raw['ingestion_config'];
      if (config !== undefined && !isObject(config)) continue; // a type error the schema reports
      if (isObject(config) && present(config[need.key])) continue;
      const base = `/inputs/${input.index}`;
      const target = isObject(config)
        ? { kind: 'Inputs' as const, path: `${base}/ingestion_config`, part: 'key' as const }
        : { kind: 'Inputs' as const, path: `${base}/ingestion_strategy` };
      ctx.report(
        target,
        `connector input '${input.id}' uses ingestion_strategy '${strategy}' but ingestion_config has no ${need.key}`,
        { hint: `Add \`${need.key}:\` under ingestion_config — ${need.what}.` },
      );
    }
  },
});
