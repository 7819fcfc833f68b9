import type { Classification } from '../../domain/classification.js';
import type { ScaffoldColumn } from './query-plan.js';
import { yamlComment, yamlFlowList, yamlString } from './text.js';

/**
 * Text of the six manifests written by `hekima init`. They are built as text rather than
 * serialized objects so that they carry comments that teach the format.
 */

const HEAD = (kind: string) => `apiVersion: akili/v1\nkind: ${kind}\n`;

export interface ProductText {
  readonly name: string;
  readonly domain: string;
  readonly owner: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly classification: Classification;
  readonly classificationReason: string;
}

export function productYaml(p: ProductText): string {
  return [
    HEAD('DataProduct').trimEnd(),
    'metadata:',
    `  name: ${p.name}`,
    `  domain: ${yamlString(p.domain)}`,
    '  version: 0.1.0',
    `  owner: ${yamlString(p.owner)}`,
    `  description: ${yamlString(p.description)}`,
    `  tags: ${yamlFlowList(p.tags)}`,
    `  # ${p.classificationReason}`,
    `  classification: ${p.classification}`,
    yamlComment(
      [
        'People to ask about this product:',
        'contacts:',
        '  - name: Jane Doe',
        '    role: product-owner',
        '    email: jane@example.com',
      ],
      '  ',
    ),
    'versioning:',
    '  # How long the previous major version stays live after a breaking change (at most 180d).',
    '  deprecation_window: 90d',
    yamlComment(
      [
        'How long rows are kept, and which timestamp sets their age:',
        'retention:',
        '  period: 365d',
        '  basis: event_time',
      ],
      '',
    ),
    '',
  ].join('\n');
}

export interface ConnectorInputText {
  readonly id: string;
  readonly connection: string;
  readonly strategy: string;
  readonly config: ReadonlyArray<readonly [string, string | readonly string[]]>;
  readonly comment: string;
}

export function connectorInputsYaml(input: ConnectorInputText): string {
  const config = input.config.map(([k, v]) => `      ${k}: ${typeof v === 'string' ? yamlString(v) : yamlFlowList(v)}`);
  return [
    HEAD('Inputs').trimEnd(),
    'inputs:',
    `  # ${input.comment}`,
    `  - id: ${input.id}`,
    '    type: connector',
    `    connector_ref: ${yamlString(input.connection)}`,
    `    ingestion_strategy: ${input.strategy}`,
    '    ingestion_config:',
    ...config,
    '    # Checks run on each extract before the transform reads it.',
    '    fitness:',
    '      - type: row_count_min',
    '        threshold: 1',
    '      - type: schema_match',
    '        severity: warn',
    'defaults:',
    '  timeout: 4h',
    '  fallback: fail',
    '',
  ].join('\n');
}

export interface ProductInputText {
  readonly id: string;
  readonly version: string | undefined;
}

export function productInputsYaml(inputs: readonly ProductInputText[]): string {
  if (inputs.length === 0) {
    return [
      HEAD('Inputs').trimEnd(),
      yamlComment([
        'No inputs yet: logic/transform.sql computes from inline sample rows. To read another',
        'product of the workspace, list it here and read it in the SQL by its id:',
        'inputs:',
        '  - id: orders                # metadata.name of the upstream product',
        '    type: data_product',
        '    version: ">=1.0.0"        # semver range its version must satisfy',
      ]),
      'inputs: []',
      'defaults:',
      '  timeout: 4h',
      '  fallback: fail',
      '',
    ].join('\n');
  }
  const lines = [HEAD('Inputs').trimEnd(), 'inputs:'];
  for (const input of inputs) {
    lines.push(`  - id: ${input.id}`, '    type: data_product');
    if (input.version !== undefined) lines.push(`    version: ${yamlString(input.version)}`);
  }
  lines.push(
    '# Applied to every input that sets no timeout or fallback of its own:',
    '# wait up to 4h for an input to publish, then fail the run (use_cached runs on its last snapshot).',
    'defaults:',
    '  timeout: 4h',
    '  fallback: fail',
    '',
  );
  return lines.join('\n');
}

export function outputYaml(columns: readonly ScaffoldColumn[], note: string): string {
  const lines = [HEAD('Output').trimEnd(), `# ${note}`, 'schema:'];
  for (const c of columns) {
    lines.push(`  - name: ${c.name}`, `    type: ${yamlString(c.type)}`);
    if (c.primaryKey) lines.push('    primary_key: true');
    else if (!c.nullable) lines.push('    nullable: false');
    if (c.role !== 'attribute') lines.push(`    role: ${c.role}`);
    if (c.description) lines.push(`    description: ${yamlString(c.description)}`);
  }
  lines.push('format: parquet', '');
  return lines.join('\n');
}

export type EndpointText =
  | { readonly type: 'lookup'; readonly description: string; readonly indexColumns: readonly string[] }
  | { readonly type: 'analytics'; readonly description: string }
  | {
      readonly type: 'realtime';
      readonly description: string;
      readonly keyTemplate: string;
      readonly ttl: string;
      readonly includeColumns: readonly string[];
    };

export function servingYaml(endpoints: readonly EndpointText[]): string {
  const lines = [
    HEAD('Serving').trimEnd(),
    '# Where each promoted snapshot is served: lookup → PostgreSQL, realtime → Redis, analytics → the lake.',
    'endpoints:',
  ];
  for (const e of endpoints) {
    lines.push(`  - type: ${e.type}`, `    description: ${yamlString(e.description)}`);
    if (e.type === 'lookup') lines.push('    config:', `      index_columns: ${yamlFlowList(e.indexColumns)}`);
    if (e.type === 'realtime') {
      lines.push(
        '    config:',
        `      key_template: ${JSON.stringify(e.keyTemplate)}`,
        `      ttl: ${e.ttl}`,
        `      include_columns: ${yamlFlowList(e.includeColumns)}`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

export type CheckText =
  | {
      readonly name: string;
      readonly type: 'completeness';
      readonly description: string;
      readonly column: string;
      readonly threshold: number;
    }
  | {
      readonly name: string;
      readonly type: 'uniqueness';
      readonly description: string;
      readonly columns: readonly string[];
    }
  | { readonly name: string; readonly type: 'volume'; readonly description: string; readonly minRows: number }
  | {
      readonly name: string;
      readonly type: 'range';
      readonly description: string;
      readonly column: string;
      readonly min: number;
    };

export function qualityYaml(checks: readonly CheckText[]): string {
  const lines = [
    HEAD('Quality').trimEnd(),
    '# Quality gates run on every new snapshot; a failing `error` check blocks promotion and downstream runs,',
    '# a failing `warn` check is recorded and the data is still promoted.',
    'checks:',
  ];
  for (const c of checks) {
    lines.push(`  - name: ${c.name}`, `    type: ${c.type}`, `    description: ${yamlString(c.description)}`);
    switch (c.type) {
      case 'completeness':
        lines.push(`    config: { column: ${c.column}, threshold: ${c.threshold} }`);
        break;
      case 'uniqueness':
        lines.push(`    config: { columns: ${yamlFlowList(c.columns)} }`);
        break;
      case 'volume':
        lines.push(`    config: { min_rows: ${c.minRows} }`);
        break;
      case 'range':
        lines.push(`    config: { column: ${c.column}, min: ${c.min} }`);
        break;
    }
    lines.push('    severity: error');
  }
  lines.push('');
  return lines.join('\n');
}

export type ScheduleText = { readonly type: 'cron'; readonly expression: string } | { readonly type: 'event' };

export function computeYaml(schedule: ScheduleText, eventComment: string): string {
  const lines = [HEAD('Compute').trimEnd(), 'runtime: sql', 'entrypoint: logic/transform.sql', 'schedule:'];
  if (schedule.type === 'cron') {
    lines.push(
      '  type: cron',
      '  # minute hour day-of-month month day-of-week',
      `  expression: ${JSON.stringify(schedule.expression)}`,
      '  timezone: UTC',
    );
  } else {
    lines.push(`  # ${eventComment}`, '  type: event');
  }
  lines.push(
    yamlComment([
      'Defaults, shown for reference:',
      'resources:',
      '  cpu: 500m',
      '  memory: 1Gi',
      '  timeout: 30m',
      'retry:',
      '  max_attempts: 3',
      '  backoff: exponential',
      '  initial_delay: 30s',
    ]),
    '',
  );
  return lines.join('\n');
}
