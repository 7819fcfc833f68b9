import { missingIngestionSettings } from '../../../../domain/connectors.js';
import { defineRule } from '../../rule.js';
import { connectionOf, connectorInputs, orList } from './connections.js';

/** Strategy needs that hold for every connection type are INP-004's (inputs family); not reported twice. */
const REPORTED_BY_INP_004: Record<string, string> = { incremental: 'cursor_field', snapshot_diff: 'primary_key' };

const PURPOSE: Record<string, string> = {
  table: 'the source table',
  query: 'a source query',
  cursor_field: 'the column holding the incremental high-water mark, e.g. updated_at',
  primary_key: 'the key column(s) used to match rows between extracts',
  path: 'the file path or glob, relative to the connection path',
  endpoint: 'the endpoint path under the connection base_url',
  topic: 'the topic to consume',
};

export const con004MissingIngestionSetting = defineRule({
  code: 'CON-004',
  scope: 'product',
  severity: 'error',
  family: 'connector',
  tier: 'full',
  title: 'ingestion_config gives what the connection type and strategy need',
  explain: {
    why: 'A connection says where a system is; the input says what to read from it. Databases (postgres, mysql, oracle) need a table or query, and cdc needs a table (a query cannot be followed through the change log) and its primary_key; HTTP needs an endpoint; files (file, s3, sftp) need a path; Kafka and Redpanda need a topic. Without them the extract has nothing to read. (cursor_field for incremental and primary_key for snapshot_diff hold for every type and are INP-004.)',
    bad: '# shop-db is a postgres connection\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      primary_key: order_id',
    good: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      table: orders\n      cursor_field: updated_at\n      primary_key: order_id',
  },
  check(ctx) {
    for (const input of connectorInputs(ctx.unit)) {
      const connection = connectionOf(ctx.index, input);
      if (!connection?.type) continue;
      const path = input.hasConfig ? `/inputs/${input.index}/ingestion_config` : `/inputs/${input.index}`;
      for (const group of missingIngestionSettings(connection.type, input.strategy, input.config)) {
        if (group.length === 1 && input.strategy !== undefined && REPORTED_BY_INP_004[input.strategy] === group[0])
          continue;
        const keys = group.map((k) => `\`${k}\``);
        const needs = group.length > 1 ? `one of ${orList(keys)}` : keys[0];
        const purpose = group.map((k) => PURPOSE[k] ?? k);
        ctx.report(
          { kind: 'Inputs', path, part: input.hasConfig ? 'key' : 'value' },
          `input '${input.id}' reads ${connection.type} connection '${connection.name}'${input.strategy ? ` with ${input.strategy}` : ''} but its ingestion_config has no ${orList(group.map((k) => `'${k}'`))}`,
          {
            hint: `Add ${needs} under ingestion_config (${orList(purpose)}), e.g.\ningestion_config:\n  ${group[0]}: ${example(group[0]!)}`,
          },
        );
      }
    }
  },
});

function example(key: string): string {
  switch (key) {
    case 'table':
      return 'orders';
    case 'query':
      return 'SELECT * FROM orders';
    case 'cursor_field':
      return 'updated_at';
    case 'primary_key':
      return 'order_id';
    case 'path':
      return 'orders/*.csv';
    case 'endpoint':
      return '/v1/orders';
    case 'topic':
      return 'orders';
    default:
      return '...';
  }
}
