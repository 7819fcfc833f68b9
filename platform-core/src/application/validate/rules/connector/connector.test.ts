import type { CheckExpressions } from '../../../../ports/check-expressions.js';
import { describe, expect, it } from 'vitest';
import { YamlDocumentParser } from '../../../../adapters/yaml/yaml-document-parser.js';
import {
  CONNECTORS,
  canRun,
  ingestionDefault,
  missingIngestionSettings,
  supportsStrategy,
  withIngestionDefault,
} from '../../../../domain/connectors.js';
import { CONNECTION_TYPES } from '../../../../domain/manifest/schemas/workspace-config.js';
import { INGESTION_STRATEGIES } from '../../../../domain/manifest/schemas/inputs.js';
import type { ProductUnit } from '../../product-unit.js';
import type { ProductRule, ReportOptions, Target } from '../../rule.js';
import { readWorkspaceConfig, WorkspaceIndex } from '../../workspace-index.js';
import { con001UnknownConnection } from './con-001-unknown-connection.js';
import { con002UnsupportedStrategy } from './con-002-unsupported-strategy.js';
import { con003NotRunnable } from './con-003-not-runnable.js';
import { con004MissingIngestionSetting } from './con-004-missing-ingestion-setting.js';

/** These rules never evaluate check expressions. */
const unusedExpressions: CheckExpressions = {
  check: () => {
    throw new Error('not used by these rules');
  },
  evaluate: () => {
    throw new Error('not used by these rules');
  },
};

const parser = new YamlDocumentParser();

function workspace(hekima: string | undefined, inputs: string): { index: WorkspaceIndex; unit: ProductUnit } {
  const unit: ProductUnit = {
    folder: 'orders',
    manifests: {
      DataProduct: {
        file: 'orders/product.yaml',
        hash: 'p',
        doc: parser.parse('metadata:\n  name: orders\n  domain: retail\n'),
      },
      Inputs: {
        file: 'orders/inputs.yaml',
        hash: 'i',
        doc: parser.parse(`apiVersion: akili/v1\nkind: Inputs\ninputs:\n${inputs}`),
      },
    },
    files: new Set(),
    texts: new Map(),
  };
  const config = hekima === undefined ? undefined : { file: 'hekima.yaml', hash: 'h', doc: parser.parse(hekima) };
  return { index: new WorkspaceIndex([unit], readWorkspaceConfig(config)), unit };
}

const HEKIMA = `connections:
  - name: shop-db
    type: postgres
    config: { host: db, database: shop, password: env:SHOP_DB_PASSWORD }
  - name: erp
    type: mysql
  - name: api
    type: http
    config: { base_url: https://api.example.com }
  - name: bus
    type: kafka
  - name: broken
    type: mainframe
`;

function run(rule: ProductRule, hekima: string | undefined, inputs: string) {
  const { index, unit } = workspace(hekima, inputs);
  const out: { target: Target; message: string; options: ReportOptions }[] = [];
  rule.check({
    unit,
    index,
    sql: {
      ready: async () => {},
      analyze: () => {
        throw new Error('no sql');
      },
    },
    expressions: unusedExpressions,
    sqlLogic: () => undefined,
    report: (target, message, options) => out.push({ target, message, options }),
    replaceFix: (kind, path, newText, title) => ({
      title,
      edits: [
        { file: `${kind}:${path}`, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, newText },
      ],
    }),
  });
  return out.map((f) => ({
    path: 'path' in f.target ? f.target.path : '',
    message: f.message,
    severity: f.options.severity ?? rule.severity,
    fix: f.options.fix?.edits[0]?.newText,
    hint: f.options.hint,
  }));
}

const input = (ref: string, strategy: string, config = '{ table: orders }') =>
  `  - id: raw\n    type: connector\n    connector_ref: ${ref}\n    ingestion_strategy: ${strategy}\n    ingestion_config: ${config}\n`;

describe('domain/connectors table', () => {
  it('describes every connection type and only known strategies', () => {
    expect(Object.keys(CONNECTORS).sort()).toEqual([...CONNECTION_TYPES].sort());
    for (const spec of Object.values(CONNECTORS))
      for (const s of spec.strategies) expect(INGESTION_STRATEGIES).toContain(s);
  });

  it('follows the documented strategy table', () => {
    expect(supportsStrategy('oracle', 'cdc')).toBe(false);
    expect(supportsStrategy('mysql', 'cdc')).toBe(true);
    expect(supportsStrategy('http', 'api_poll')).toBe(true);
    expect(supportsStrategy('s3', 'incremental')).toBe(false);
    expect(supportsStrategy('redpanda', 'event')).toBe(true);
    expect(supportsStrategy('file', 'file_watch')).toBe(true);
  });

  it('runs postgres, http and file, never cdc', () => {
    expect(canRun('postgres', 'incremental')).toBe(true);
    expect(canRun('postgres', 'cdc')).toBe(false);
    expect(canRun('file', 'full_refresh')).toBe(true);
    expect(canRun('s3', 'full_refresh')).toBe(false);
    expect(canRun('http', 'stream')).toBe(false);
  });

  it('lists the strategy settings that have no default, as groups of alternatives', () => {
    expect(missingIngestionSettings('postgres', 'full_refresh', {})).toEqual([]);
    expect(missingIngestionSettings('postgres', 'incremental', { table: 'orders' })).toEqual([['cursor_field']]);
    expect(missingIngestionSettings('postgres', 'cdc', { query: 'select 1' })).toEqual([['table']]);
    expect(missingIngestionSettings('postgres', 'cdc', {})).toEqual([]);
    expect(missingIngestionSettings('http', 'incremental', { endpoint: ' ' })).toEqual([['cursor_field']]);
    expect(missingIngestionSettings('kafka', 'stream', {})).toEqual([]);
    // strategy needs apply only to supported strategies
    expect(missingIngestionSettings('s3', 'incremental', {})).toEqual([]);
  });

  it('gives every type a documented default read, used only when ingestion_config names none', () => {
    expect(ingestionDefault('postgres', 'raw-orders', {})).toMatchObject({ key: 'table', value: 'raw-orders' });
    expect(ingestionDefault('postgres', 'raw-orders', { query: 'select 1' })).toBeUndefined();
    expect(ingestionDefault('s3', 'raw', {})).toMatchObject({ key: 'path', value: '*' });
    expect(ingestionDefault('file', 'raw', { path: ' ' })).toMatchObject({ key: 'path', value: '*' });
    expect(ingestionDefault('http', 'raw', {})).toMatchObject({ key: 'endpoint', value: '/' });
    expect(ingestionDefault('kafka', 'raw', {})).toMatchObject({ key: 'topic', value: 'raw' });
    expect(withIngestionDefault('postgres', 'raw', { cursor_field: 'u' })).toEqual({ cursor_field: 'u', table: 'raw' });
    const named = { table: 'orders' };
    expect(withIngestionDefault('postgres', 'raw', named)).toBe(named);
  });
});

describe('CON-001', () => {
  it('errors with the nearest connection and a fix', () => {
    expect(run(con001UnknownConnection, HEKIMA, input('shop-bd', 'full_refresh'))).toMatchObject([
      {
        path: '/inputs/0/connector_ref',
        message: "input 'raw' names connection 'shop-bd', which hekima.yaml does not declare",
        severity: 'error',
        fix: 'shop-db',
      },
    ]);
  });

  it('warns when there is no hekima.yaml', () => {
    const [f] = run(con001UnknownConnection, undefined, input('shop-db', 'full_refresh'));
    expect(f).toMatchObject({
      severity: 'warning',
      message: "connection 'shop-db' of input 'raw' cannot be checked: the workspace has no hekima.yaml",
    });
    expect(f!.hint).toContain('- name: shop-db');
  });

  it('stays quiet when hekima.yaml cannot be read', () => {
    expect(run(con001UnknownConnection, 'connections: [\n', input('x', 'full_refresh'))).toEqual([]);
    expect(run(con001UnknownConnection, 'connections: nope\n', input('x', 'full_refresh'))).toEqual([]);
  });

  it('lists declared connections when nothing is near', () => {
    const [f] = run(con001UnknownConnection, HEKIMA, input('warehouse', 'full_refresh'));
    expect(f!.fix).toBeUndefined();
    expect(f!.hint).toContain('declared: api, broken, bus, erp, shop-db');
  });
});

describe('CON-002 / CON-003', () => {
  it('CON-002 reports an unsupported strategy, not an unknown type', () => {
    expect(run(con002UnsupportedStrategy, HEKIMA, input('api', 'cdc', '{ endpoint: /x }'))).toMatchObject([
      {
        path: '/inputs/0/ingestion_strategy',
        message: "ingestion strategy 'cdc' of input 'raw' is not supported by http connection 'api'",
      },
    ]);
    expect(run(con002UnsupportedStrategy, HEKIMA, input('broken', 'cdc'))).toEqual([]);
    expect(run(con002UnsupportedStrategy, HEKIMA, input('shop-db', 'cdc'))).toEqual([]);
  });

  it('CON-003 warns once per input, on the connection or the strategy', () => {
    expect(run(con003NotRunnable, HEKIMA, input('shop-db', 'cdc'))).toMatchObject([
      { path: '/inputs/0/ingestion_strategy' },
    ]);
    const [both] = run(con003NotRunnable, HEKIMA, input('erp', 'cdc'));
    expect(both).toMatchObject({ path: '/inputs/0/connector_ref' });
    expect(both!.message).toContain('mysql connections and the cdc strategy are not supported');
    expect(run(con003NotRunnable, HEKIMA, input('shop-db', 'incremental'))).toEqual([]);
    // an unsupported strategy is CON-002's
    expect(run(con003NotRunnable, HEKIMA, input('api', 'cdc'))).toEqual([]);
  });
});

describe('CON-004', () => {
  it('warns with the default read when nothing is named, and leaves cursor_field / primary_key to INP-004', () => {
    expect(
      run(con004MissingIngestionSetting, HEKIMA, input('shop-db', 'incremental', '{ cursor_field: updated_at }')).map(
        (f) => [f.severity, f.message],
      ),
    ).toEqual([
      [
        'warning',
        "input 'raw' reads postgres connection 'shop-db' with incremental and its ingestion_config has no 'table' or 'query': it reads the table \"raw\" (the input id)",
      ],
    ]);
    expect(run(con004MissingIngestionSetting, HEKIMA, input('shop-db', 'incremental', '{ table: orders }'))).toEqual(
      [],
    );
    expect(run(con004MissingIngestionSetting, HEKIMA, input('shop-db', 'cdc', '{ primary_key: id }'))).toMatchObject([
      { severity: 'warning' },
    ]);
    expect(run(con004MissingIngestionSetting, HEKIMA, input('bus', 'stream', '{}')).map((f) => f.message)).toEqual([
      "input 'raw' reads kafka connection 'bus' with stream and its ingestion_config has no 'topic': it consumes the topic \"raw\" (the input id)",
    ]);
  });

  it('errors on a cdc input that names only a query: cdc follows a table', () => {
    expect(
      run(con004MissingIngestionSetting, HEKIMA, input('shop-db', 'cdc', '{ query: select 1 }')).map((f) => [
        f.severity,
        f.message,
      ]),
    ).toEqual([
      [
        'error',
        "input 'raw' reads postgres connection 'shop-db' with cdc but its ingestion_config has no 'table' (cdc follows a table, not a query)",
      ],
    ]);
  });

  it('points at the input when there is no ingestion_config', () => {
    const inputs = '  - id: raw\n    type: connector\n    connector_ref: api\n    ingestion_strategy: api_poll\n';
    expect(run(con004MissingIngestionSetting, HEKIMA, inputs)).toMatchObject([
      { path: '/inputs/0', severity: 'warning' },
    ]);
  });

  it('never throws on broken inputs', () => {
    const inputs =
      '  - 12\n  - id: x\n    type: connector\n    connector_ref: [a]\n    ingestion_config: 3\n  - id: y\n    type: connector\n    connector_ref: shop-db\n    ingestion_strategy: 5\n';
    for (const rule of [
      con001UnknownConnection,
      con002UnsupportedStrategy,
      con003NotRunnable,
      con004MissingIngestionSetting,
    ]) {
      expect(() => run(rule, HEKIMA, inputs)).not.toThrow();
      expect(() => run(rule, 'connections:\n  - 1\n  - name: 2\n', inputs)).not.toThrow();
    }
  });
});
