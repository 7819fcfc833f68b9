import { ingestionDefault, missingIngestionSettings } from '../../../../domain/connectors.js';
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

/**
 * The akili/v1 format does not require an input to name its table, path, endpoint or topic (its
 * own examples give only cursor_field / primary_key): the runtime then reads a documented default
 * (domain/connectors.ts), and this rule says which as a warning. An error only for what no
 * default can give: a cdc input that names a query and no table.
 */
export const con004MissingIngestionSetting = defineRule({
  code: 'CON-004',
  scope: 'product',
  severity: 'warning',
  family: 'connector',
  tier: 'full',
  title: 'ingestion_config names what to read, or the default read is stated',
  explain: {
    why: 'A connection says where a system is; the input says what to read from it: a table or query (postgres, mysql, oracle), an endpoint (http), a path (file, s3, sftp), a topic (kafka, redpanda). The akili/v1 format does not require these keys, so when none is given the runtime reads a default: the table named by the input id, every file under the connection path, the connection base_url, the topic named by the input id. This warning says which default applies, so a read is never a surprise; name it to silence the warning. cdc follows one table change log, so a cdc input that names only a query is an error.',
    bad: '# shop-db is a postgres connection\ninputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      cursor_field: updated_at\n      primary_key: order_id',
    good: 'inputs:\n  - id: raw-orders\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: incremental\n    ingestion_config:\n      table: orders\n      cursor_field: updated_at\n      primary_key: order_id',
  },
  check(ctx) {
    for (const input of connectorInputs(ctx.unit)) {
      const connection = connectionOf(ctx.index, input);
      if (!connection?.type) continue;
      const path = input.hasConfig ? `/inputs/${input.index}/ingestion_config` : `/inputs/${input.index}`;
      const target = { kind: 'Inputs' as const, path, part: input.hasConfig ? ('key' as const) : ('value' as const) };
      const reads = `input '${input.id}' reads ${connection.type} connection '${connection.name}'${input.strategy ? ` with ${input.strategy}` : ''}`;
      const fallback = ingestionDefault(connection.type, input.id, input.config);
      if (fallback !== undefined)
        ctx.report(
          target,
          `${reads} and its ingestion_config has no ${orList(fallback.keys.map((k) => `'${k}'`))}: ${fallback.meaning}`,
          {
            hint: `To read something else, add ${orList(fallback.keys.map((k) => `\`${k}\``))} under ingestion_config (${orList(fallback.keys.map((k) => PURPOSE[k] ?? k))}), e.g.\ningestion_config:\n  ${fallback.key}: ${example(fallback.key)}`,
          },
        );
      for (const group of missingIngestionSettings(connection.type, input.strategy, input.config)) {
        if (group.length === 1 && input.strategy !== undefined && REPORTED_BY_INP_004[input.strategy] === group[0])
          continue;
        const keys = group.map((k) => `\`${k}\``);
        const needs = group.length > 1 ? `one of ${orList(keys)}` : keys[0];
        const purpose = group.map((k) => PURPOSE[k] ?? k);
        const why = input.strategy === 'cdc' && group[0] === 'table' ? ' (cdc follows a table, not a query)' : '';
        ctx.report(target, `${reads} but its ingestion_config has no ${orList(group.map((k) => `'${k}'`))}${why}`, {
          severity: 'error',
          hint: `Add ${needs} under ingestion_config (${orList(purpose)}), e.g.\ningestion_config:\n  ${group[0]}: ${example(group[0]!)}`,
        });
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
