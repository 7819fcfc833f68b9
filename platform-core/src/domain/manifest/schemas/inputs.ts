import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, StringEnum, Duration, ProductName, whenType } from './common.js';

export const INPUT_TYPES = ['data_product', 'connector'] as const;
export const FALLBACKS = ['skip', 'fail', 'use_cached'] as const;
export const PARTITION_MAPPINGS = ['same_day', 'latest'] as const;
export const INGESTION_STRATEGIES = [
  'cdc',
  'incremental',
  'full_refresh',
  'snapshot_diff',
  'api_poll',
  'file_watch',
  'stream',
  'event',
] as const;
export const FITNESS_TYPES = ['row_count_min', 'schema_match', 'null_ratio_max', 'freshness'] as const;

const Fitness = Strict(
  {
    type: StringEnum(FITNESS_TYPES, {
      description:
        'row_count_min: at least `threshold` rows; schema_match: the extract matches the expected columns; null_ratio_max: at most `threshold` nulls in `column`; freshness: newest `column` value within `max_age`.',
    }),
    threshold: Type.Optional(Type.Number({ minimum: 0, description: 'Threshold of the fitness function.' })),
    column: Type.Optional(Type.String({ description: 'Column the function inspects.' })),
    max_age: Type.Optional(Duration({ description: 'Maximum age (freshness).' })),
    severity: Type.Optional(
      StringEnum(['error', 'warn'] as const, {
        default: 'error',
        description: 'error blocks the ingestion; warn logs and continues.',
      }),
    ),
  },
  {
    description: 'An ingestion-time fitness function.',
    allOf: [
      whenType('type', 'row_count_min', { required: ['threshold'] }),
      whenType('type', 'null_ratio_max', { required: ['column', 'threshold'] }),
      whenType('type', 'freshness', { required: ['column', 'max_age'] }),
    ],
  },
);

export const InputSchema = Strict(
  {
    id: ProductName({
      title: 'Input id',
      description:
        'For a data_product input, the metadata.name of the upstream product. For a connector input, the local name of the extract. The logic reads it as a table named by the id (quoted: "raw-orders") or its underscore form (raw_orders).',
      examples: ['cleaned-transactions'],
    }),
    type: StringEnum(INPUT_TYPES, {
      title: 'Input type',
      description:
        'data_product: another product of the workspace; connector: an external source through a connection.',
    }),
    version: Type.Optional(
      Type.String({
        format: 'semver-range',
        default: 'latest',
        title: 'Version range',
        description:
          'Semver range the upstream product version must satisfy (e.g. >=1.0.0, ^2.0.0, ~1.2.0), or latest.',
        examples: ['>=1.0.0'],
      }),
    ),
    timeout: Type.Optional(
      Duration({
        title: 'Timeout',
        description:
          'How long to wait for this input’s data.available before the fallback applies. Defaults to defaults.timeout.',
        examples: ['4h'],
      }),
    ),
    fallback: Type.Optional(
      StringEnum(FALLBACKS, {
        title: 'Fallback',
        description:
          'What happens at the timeout: fail the run, use_cached (last committed snapshot) or skip (proceed without it). Defaults to defaults.fallback.',
      }),
    ),
    optional: Type.Optional(Type.Boolean({ default: false, description: 'An optional input never blocks a run.' })),
    partition_mapping: Type.Optional(
      StringEnum(PARTITION_MAPPINGS, {
        title: 'Partition mapping',
        description:
          'same_day: the input and the output share the daily partition; latest: use the latest available data.',
      }),
    ),
    connector_ref: Type.Optional(
      Type.String({
        minLength: 1,
        title: 'Connection',
        description: 'Name of a connection declared in the workspace hekima.yaml.',
        examples: ['shop-files'],
      }),
    ),
    ingestion_strategy: Type.Optional(
      StringEnum(INGESTION_STRATEGIES, {
        title: 'Ingestion strategy',
        description:
          'How the connector extracts: cdc, incremental (cursor high-water mark), full_refresh, snapshot_diff, api_poll, file_watch, stream or event. Must be supported by the connection type.',
      }),
    ),
    ingestion_config: Type.Optional(
      Type.Object(
        {
          cursor_field: Type.Optional(Type.String({ description: 'Column holding the incremental high-water mark.' })),
          primary_key: Type.Optional(
            Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })], {
              description: 'Key column(s) used to upsert incremental extracts.',
            }),
          ),
          table: Type.Optional(Type.String({ description: 'Source table (database connectors).' })),
          query: Type.Optional(Type.String({ description: 'Source query (database connectors).' })),
          path: Type.Optional(
            Type.String({ description: 'Path or glob under the connection path (file connectors).' }),
          ),
          format: Type.Optional(
            StringEnum(['csv', 'jsonl', 'json', 'parquet'] as const, { description: 'File format (file connectors).' }),
          ),
          endpoint: Type.Optional(Type.String({ description: 'Endpoint path under base_url (http connectors).' })),
          pagination: Type.Optional(
            Type.Object({}, { additionalProperties: true, description: 'Pagination settings (http connectors).' }),
          ),
        },
        {
          additionalProperties: true,
          title: 'Ingestion config',
          description:
            'What to read and how: cursor_field, primary_key, table/query, path/format, endpoint/pagination.',
        },
      ),
    ),
    fitness: Type.Optional(
      Type.Array(Fitness, { title: 'Fitness functions', description: 'Checks run at ingestion.' }),
    ),
  },
  {
    title: 'Input',
    allOf: [whenType('type', 'connector', { required: ['connector_ref', 'ingestion_strategy'] })],
  },
);

export const InputsSchema = Strict(
  {
    ...header('Inputs'),
    inputs: Type.Array(InputSchema, {
      title: 'Inputs',
      description: 'Upstream data products and external connectors this product reads.',
    }),
    defaults: Type.Optional(
      Strict(
        {
          timeout: Type.Optional(Duration({ default: '4h', description: 'Timeout for inputs that set none.' })),
          fallback: Type.Optional(
            StringEnum(FALLBACKS, { default: 'fail', description: 'Fallback for inputs that set none.' }),
          ),
        },
        { title: 'Defaults', description: 'Values for inputs that omit timeout or fallback.' },
      ),
    ),
  },
  {
    title: 'akili/v1 Inputs (inputs.yaml)',
    description: 'The upstream products and external sources a data product reads.',
  },
);

export type InputsManifest = Static<typeof InputsSchema>;
export type InputDeclaration = Static<typeof InputSchema>;
