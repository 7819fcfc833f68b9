import { CONNECTORS, supportsStrategy, typesSupporting } from '../../../../domain/connectors.js';
import { INGESTION_STRATEGIES } from '../../../../domain/manifest/schemas/inputs.js';
import { defineRule } from '../../rule.js';
import { connectionOf, connectorInputs, orList } from './connections.js';

export const con002UnsupportedStrategy = defineRule({
  code: 'CON-002',
  scope: 'product',
  severity: 'error',
  family: 'connector',
  tier: 'full',
  title: 'The ingestion strategy is supported by the connection type',
  explain: {
    why: 'Each connection type extracts in its own ways: databases by cdc, incremental cursor, full_refresh or snapshot_diff (Oracle has no cdc); HTTP APIs by api_poll or incremental; S3 and SFTP by file_watch or full_refresh; Kafka and Redpanda by stream or event; local files by full_refresh, incremental or file_watch. A strategy the type does not offer cannot run.',
    bad: '# shop-api is an http connection\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-api\n    ingestion_strategy: cdc',
    good: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-api\n    ingestion_strategy: api_poll\n    ingestion_config: { endpoint: /orders }',
  },
  check(ctx) {
    for (const input of connectorInputs(ctx.unit)) {
      const strategy = input.strategy;
      if (strategy === undefined || !(INGESTION_STRATEGIES as readonly string[]).includes(strategy)) continue;
      const connection = connectionOf(ctx.index, input);
      if (!connection?.type || supportsStrategy(connection.type, strategy)) continue;
      const supported = CONNECTORS[connection.type].strategies;
      const others = typesSupporting(strategy);
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/ingestion_strategy` },
        `ingestion strategy '${strategy}' of input '${input.id}' is not supported by ${connection.type} connection '${connection.name}'`,
        {
          hint: `A ${connection.type} connection supports ${orList(supported)}. Use one of them${others.length > 0 ? `, or read through a connection of a type that supports ${strategy} (${orList(others)})` : ''}.`,
        },
      );
    }
  },
});
