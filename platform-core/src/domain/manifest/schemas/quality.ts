import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, StringEnum, ColumnName, ColumnList, Duration, ProductName, whenType } from './common.js';

export const CHECK_TYPES = [
  'completeness',
  'freshness',
  'volume',
  'uniqueness',
  'range',
  'accepted_values',
  'referential',
  'custom_expression',
  'regex',
  'custom_sql',
  'custom_python',
] as const;
export const CHECK_SEVERITIES = ['error', 'warn'] as const;

const Threshold = (description: string) =>
  Type.Number({ minimum: 0, maximum: 1, default: 1, description: `${description} A fraction between 0.0 and 1.0.` });
const Column = (description: string) => ColumnName({ description });

export const CHECK_CONFIGS = {
  completeness: Strict(
    {
      column: Column('Column whose non-null fraction is measured.'),
      threshold: Type.Optional(Threshold('Minimum non-null fraction.')),
    },
    { description: 'Passes when the non-null fraction of column ≥ threshold.' },
  ),
  freshness: Strict(
    { column: Column('Timestamp column.'), max_age: Duration({ description: 'Maximum age of the newest value.' }) },
    { description: 'Passes when the newest value is within max_age of now.' },
  ),
  volume: Strict(
    {
      min_rows: Type.Optional(Type.Integer({ minimum: 0, description: 'Minimum row count.' })),
      max_rows: Type.Optional(Type.Integer({ minimum: 0, description: 'Maximum row count.' })),
    },
    { minProperties: 1, description: 'Passes when the row count is within [min_rows, max_rows].' },
  ),
  uniqueness: Strict(
    { columns: ColumnList({ description: 'Columns whose value combinations must be unique.' }) },
    { description: 'Passes when no value combination repeats.' },
  ),
  range: Strict(
    {
      column: Column('Numeric or date column.'),
      min: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'Lower bound (inclusive).' })),
      max: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'Upper bound (inclusive).' })),
    },
    { minProperties: 2, description: 'Passes when every value is within [min, max].' },
  ),
  accepted_values: Strict(
    {
      column: Column('Column to check.'),
      values: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        minItems: 1,
        description: 'The accepted values.',
      }),
    },
    { description: 'Passes when every value is in the set.' },
  ),
  referential: Strict(
    {
      column: Column('Column holding the reference.'),
      reference_product: ProductName({ description: 'The product whose column is referenced (ideally an input).' }),
      reference_column: Column('The referenced column of that product.'),
    },
    { description: 'Passes when every value exists in the referenced product.' },
  ),
  custom_expression: Strict(
    {
      expression: Type.String({ minLength: 1, description: 'A boolean SQL expression over the output columns.' }),
      threshold: Type.Optional(Threshold('Minimum fraction of rows satisfying the expression.')),
    },
    { description: 'Passes when the fraction of rows satisfying the expression ≥ threshold.' },
  ),
  regex: Strict(
    {
      column: Column('String column.'),
      pattern: Type.String({
        minLength: 1,
        format: 'regex',
        description: 'Regular expression every non-null value must match.',
      }),
    },
    { description: 'Passes when every non-null value matches the pattern.' },
  ),
} as const;

export const CheckSchema = Strict(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 63,
      title: 'Check name',
      description: 'Unique name of the check within quality.yaml: lowercase letters, digits, _ and -.',
      examples: ['revenue_not_null'],
    }),
    type: StringEnum(CHECK_TYPES, {
      title: 'Check type',
      description:
        'completeness, freshness, volume, uniqueness, range, accepted_values, referential, custom_expression, regex (declarative, with config); custom_sql (sql + expect); custom_python (entrypoint).',
    }),
    description: Type.Optional(Type.String({ description: 'What the check protects.' })),
    severity: Type.Optional(
      StringEnum(CHECK_SEVERITIES, {
        default: 'error',
        title: 'Severity',
        description: 'error blocks promotion and downstream runs; warn is recorded and the data is still promoted.',
      }),
    ),
    config: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'Settings of a declarative check.' }),
    ),
    sql: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'custom_sql: a query over {output} whose single result row is tested by expect.',
      }),
    ),
    expect: Type.Optional(
      Type.String({ minLength: 1, description: 'custom_sql: a predicate over the result columns, e.g. failures = 0.' }),
    ),
    entrypoint: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'custom_python: path of a .py file (relative to the product) defining check(output).',
      }),
    ),
  },
  {
    title: 'Check',
    allOf: [
      ...Object.entries(CHECK_CONFIGS).map(([type, config]) =>
        whenType('type', type, { properties: { config }, required: ['config'] }),
      ),
      whenType('type', 'custom_sql', { required: ['sql', 'expect'] }),
      whenType('type', 'custom_python', { required: ['entrypoint'] }),
    ],
  },
);

export const QualitySchema = Strict(
  {
    ...header('Quality'),
    checks: Type.Array(CheckSchema, {
      title: 'Checks',
      description: 'Quality gates run over every new snapshot before it is promoted.',
    }),
  },
  { title: 'akili/v1 Quality (quality.yaml)', description: 'The quality gates of a data product.' },
);

export type QualityManifest = Static<typeof QualitySchema>;
export type CheckDeclaration = Static<typeof CheckSchema>;
