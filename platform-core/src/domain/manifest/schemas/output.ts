import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, StringEnum, ColumnName, ClassificationLevel } from './common.js';

export const COLUMN_ROLES = ['identity', 'attribute', 'measure', 'event_key'] as const;
export const OUTPUT_FORMATS = ['parquet'] as const;
export const PARTITION_GRANULARITIES = ['hour', 'day', 'month', 'year'] as const;

export const ColumnSchema = Strict(
  {
    name: ColumnName({
      title: 'Column name',
      description: 'snake_case column name, unique within the schema.',
      examples: ['outlet_id'],
    }),
    type: Type.String({
      format: 'column-type',
      title: 'Column type',
      description:
        'One of string, integer (64-bit), float (double), decimal(p,s), boolean, date, timestamp (UTC), uuid, json, array(T), map(K,V).',
      examples: ['decimal(18,2)'],
    }),
    primary_key: Type.Optional(
      Type.Boolean({ default: false, description: 'Part of the primary key (implicitly NOT NULL).' }),
    ),
    nullable: Type.Optional(Type.Boolean({ default: true, description: 'Whether the column may hold nulls.' })),
    description: Type.Optional(Type.String({ description: 'What the column means.' })),
    role: Type.Optional(
      StringEnum(COLUMN_ROLES, {
        default: 'attribute',
        title: 'Role',
        description:
          'identity: natural key (immutable across versions); attribute: descriptive (default); measure: numeric fact; event_key: reference to another product’s identity.',
      }),
    ),
    deprecated: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Marks the column for removal; never on identity columns (XVAL-023).',
      }),
    ),
    deprecated_message: Type.Optional(Type.String({ description: 'Migration hint for consumers.' })),
    classification: Type.Optional(
      ClassificationLevel({
        description:
          'Column-level classification; all-or-nothing: when one column has it, every column must (XVAL-031).',
      }),
    ),
  },
  { title: 'Column' },
);

export const OutputSchema = Strict(
  {
    ...header('Output'),
    schema: Type.Array(ColumnSchema, {
      minItems: 1,
      title: 'Schema',
      description: 'The output schema contract: every column the product publishes.',
    }),
    format: Type.Optional(
      StringEnum(OUTPUT_FORMATS, { default: 'parquet', description: 'Storage format of the snapshots.' }),
    ),
    partitioning: Type.Optional(
      Type.Array(
        Strict({
          field: ColumnName({ description: 'A column of the schema.' }),
          granularity: Type.Optional(
            StringEnum(PARTITION_GRANULARITIES, { default: 'day', description: 'Partition granularity.' }),
          ),
        }),
        { title: 'Partitioning', description: 'Partition fields (columns of the schema).' },
      ),
    ),
  },
  { title: 'akili/v1 Output (output.yaml)', description: 'The output schema contract of a data product.' },
);

export type OutputManifest = Static<typeof OutputSchema>;
export type ColumnDeclaration = Static<typeof ColumnSchema>;
