import { CONNECTORS, UNRUNNABLE_STRATEGIES, supportsStrategy } from '../../../../domain/connectors.js';
import { defineRule } from '../../rule.js';
import { connectionOf, connectorInputs, orList } from './connections.js';

export const con003NotRunnable = defineRule({
  code: 'CON-003',
  scope: 'product',
  severity: 'warning',
  family: 'connector',
  tier: 'full',
  title: 'The connector can be run by this version of hekima',
  explain: {
    why: 'The manifest is valid akili/v1 and can be deployed to a platform that supports it, but this version of `hekima run` only extracts from postgres, http and file connections, and not with the cdc strategy. Products reading other connectors validate, but local runs fail. To run such a product locally meanwhile, point a file connection at an export of the data.',
    bad: '# shop-db is a mysql connection\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: cdc',
    good: '# shop-db is a postgres connection\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config: { table: orders, cursor_field: updated_at }',
  },
  check(ctx) {
    const runnableTypes = Object.values(CONNECTORS)
      .filter((c) => c.runnable)
      .map((c) => c.type);
    for (const input of connectorInputs(ctx.unit)) {
      const connection = connectionOf(ctx.index, input);
      if (!connection?.type) continue;
      const strategy = input.strategy;
      const typeRuns = CONNECTORS[connection.type].runnable;
      // An unsupported strategy is CON-002's error; only a valid combination gets this warning.
      const strategyRuns =
        strategy === undefined ||
        !supportsStrategy(connection.type, strategy) ||
        !(UNRUNNABLE_STRATEGIES as readonly string[]).includes(strategy);
      if (typeRuns && strategyRuns) continue;
      const what: string[] = [];
      if (!typeRuns) what.push(`${connection.type} connections`);
      if (!strategyRuns) what.push(`the ${strategy} strategy`);
      const path = typeRuns ? `/inputs/${input.index}/ingestion_strategy` : `/inputs/${input.index}/connector_ref`;
      ctx.report(
        { kind: 'Inputs', path },
        `input '${input.id}' (${connection.type} '${connection.name}'${strategy ? `, ${strategy}` : ''}) is valid, but \`hekima run\` cannot run it yet: ${orList(what, 'and')} are not supported by this runtime`,
        {
          hint: `Nothing to fix for validation or deployment. To run it with \`hekima run\`, read through a connection this runtime can extract from (${orList(runnableTypes)}${!strategyRuns ? `, with a strategy other than ${strategy}` : ''}), e.g. a file connection over an export of the data.`,
        },
      );
    }
  },
});
