import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, StringEnum, ColumnName, ColumnList, Duration, whenType } from './common.js';

export const ENDPOINT_TYPES = ['lookup', 'timeseries', 'analytics', 'realtime'] as const;
export const HISTORY_MODES = ['current', 'type_2', 'type_3'] as const;
export const TIMESERIES_GRANULARITIES = [
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
] as const;

export const LookupConfig = Strict(
  {
    index_columns: Type.Optional(
      ColumnList({ description: 'Columns indexed for point lookups (default: the primary key).' }),
    ),
    history_mode: Type.Optional(
      StringEnum(HISTORY_MODES, {
        default: 'current',
        description: 'current: latest row only; type_2: valid-from/valid-to history; type_3: previous-value columns.',
      }),
    ),
    tracked_columns: Type.Optional(
      ColumnList({ description: 'Columns whose changes are tracked (needed unless history_mode is current).' }),
    ),
    primary_key: Type.Optional(ColumnList({ description: 'Alias accepted for the key columns of the lookup table.' })),
  },
  { title: 'Lookup config', description: 'PostgreSQL table with point lookups by key.' },
);

export const TimeseriesConfig = Strict(
  {
    time_column: ColumnName({ description: 'The timestamp or date column of the series.' }),
    granularity: Type.Optional(
      Type.Array(StringEnum(TIMESERIES_GRANULARITIES, {}), {
        description: 'Roll-up granularities, e.g. [daily, weekly].',
      }),
    ),
  },
  { title: 'Timeseries config', description: 'PostgreSQL (TimescaleDB when present) time-range table.' },
);

export const RealtimeConfig = Strict(
  {
    key_template: Type.String({
      minLength: 1,
      format: 'key-template',
      description:
        'Redis key with {column} placeholders, e.g. outlet:{outlet_id}:daily:{sale_date}; {{ writes a literal brace.',
    }),
    ttl: Type.Optional(Duration({ description: 'Time to live of each key.' })),
    include_columns: Type.Optional(ColumnList({ description: 'Columns stored in the value (default: all).' })),
  },
  { title: 'Realtime config', description: 'Redis keys with a TTL.' },
);

export const AnalyticsConfig = Strict(
  {},
  { title: 'Analytics config', description: 'The lake itself, queried through DuckDB; no settings.' },
);

export const EndpointSchema = Strict(
  {
    type: StringEnum(ENDPOINT_TYPES, {
      title: 'Endpoint type',
      description:
        'lookup → PostgreSQL table; timeseries → PostgreSQL/TimescaleDB; analytics → the lake; realtime → Redis.',
    }),
    description: Type.Optional(Type.String({ description: 'What the endpoint is for.' })),
    config: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Type-specific settings.' })),
  },
  {
    title: 'Endpoint',
    allOf: [
      whenType('type', 'lookup', { properties: { config: LookupConfig } }),
      whenType('type', 'timeseries', { properties: { config: TimeseriesConfig }, required: ['config'] }),
      whenType('type', 'realtime', { properties: { config: RealtimeConfig }, required: ['config'] }),
      whenType('type', 'analytics', { properties: { config: AnalyticsConfig } }),
    ],
  },
);

export const ServingSchema = Strict(
  {
    ...header('Serving'),
    endpoints: Type.Array(EndpointSchema, {
      title: 'Endpoints',
      description: 'The serving intents; each routes the promoted snapshot to a store.',
    }),
    visualization: Type.Optional(
      Strict(
        {
          enabled: Type.Optional(Type.Boolean({ default: false })),
          dashboard_template: Type.Optional(Type.String()),
          refresh_interval: Type.Optional(Duration({})),
        },
        { title: 'Visualization', description: 'Dashboard settings.' },
      ),
    ),
  },
  { title: 'akili/v1 Serving (serving.yaml)', description: 'Where the promoted data is served.' },
);

export type ServingManifest = Static<typeof ServingSchema>;
export type EndpointDeclaration = Static<typeof EndpointSchema>;
