import type { FixtureTable, ScaffoldColumn } from './query-plan.js';
import { tableRef } from './query-plan.js';
import { sqlComment } from './text.js';

/**
 * Logic that does not depend on upstream products: the typed extract of a source product and
 * the self-contained sample query of an aggregate or consumer product without inputs. Each
 * comes with the rows it reads (tests/fixtures); what it returns is what the engine makes of them.
 */
export interface SampleLogic {
  readonly sql: string;
  readonly output: readonly ScaffoldColumn[];
  /** Fixture rows per input id (none for a product without inputs). */
  readonly fixtures: ReadonlyMap<string, FixtureTable>;
  readonly grain: string;
}

/** The columns of the sample extract a source product reads (and of the sample file it ships). */
export const SOURCE_SAMPLE: FixtureTable = {
  header: ['id', 'name', 'updated_at'],
  rows: [
    ['1', 'First sample record', '2026-01-05T08:00:00Z'],
    ['2', 'Second sample record', '2026-01-06T09:30:00Z'],
    ['3', 'Third sample record', '2026-01-07T11:15:00Z'],
  ],
};

export function sourceLogic(name: string, inputId: string, connection: string): SampleLogic {
  const sql = [
    sqlComment([
      `${name}: source-aligned product. It reads the raw extract "${inputId}" (connection ${connection})`,
      'and gives every column its contract type. Keep transformations here minimal: business logic',
      'belongs in aggregate products that read this one.',
    ]),
    'SELECT',
    '  CAST(id AS BIGINT) AS id,',
    '  TRIM(name) AS name,',
    '  CAST(updated_at AS TIMESTAMP) AS updated_at',
    `FROM ${tableRef(inputId)}`,
    'ORDER BY id',
    '',
  ].join('\n');
  return {
    sql,
    output: [
      {
        name: 'id',
        type: 'integer',
        primaryKey: true,
        nullable: false,
        role: 'identity',
        description: 'Identifier of the record in the source system.',
      },
      {
        name: 'name',
        type: 'string',
        primaryKey: false,
        nullable: true,
        role: 'attribute',
        description: 'Name of the record, trimmed.',
      },
      {
        name: 'updated_at',
        type: 'timestamp',
        primaryKey: false,
        nullable: true,
        role: 'attribute',
        description: 'When the source last changed the record (UTC).',
      },
    ],
    fixtures: new Map([[inputId, SOURCE_SAMPLE]]),
    grain: `one row per id of the ${connection} extract`,
  };
}

const HOW_TO_ADD_INPUT = (name: string) => [
  `${name} does not read any input yet, so the query below works on inline sample rows: the`,
  'product validates, runs and tests as it is. To read another product of the workspace instead:',
  '  1. declare it in inputs.yaml:',
  '       inputs:',
  '         - id: orders',
  '           type: data_product',
  '  2. replace `sample` in the FROM clause with the input id, e.g. FROM orders (quote an id',
  '     with hyphens: FROM "daily-orders"), and delete the sample CTE;',
  '  3. keep output.yaml in step with the SELECT list: `hekima validate` compares them.',
];

export function standaloneAggregateLogic(name: string): SampleLogic {
  const sql = [
    sqlComment(HOW_TO_ADD_INPUT(name)),
    'WITH sample (item_id, category, amount) AS (',
    '  VALUES',
    "    (1, 'books', 12.50),",
    "    (2, 'books', 7.25),",
    "    (3, 'games', 30.00),",
    "    (4, 'music', 9.99),",
    "    (5, 'games', 15.00)",
    ')',
    'SELECT',
    '  category,',
    '  COUNT(*) AS item_count,',
    '  CAST(SUM(amount) AS DECIMAL(18, 2)) AS total_amount',
    'FROM sample',
    'GROUP BY category',
    'ORDER BY category',
    '',
  ].join('\n');
  return {
    sql,
    output: [
      {
        name: 'category',
        type: 'string',
        primaryKey: true,
        nullable: false,
        role: 'identity',
        description: 'Category of the items.',
      },
      {
        name: 'item_count',
        type: 'integer',
        primaryKey: false,
        nullable: false,
        role: 'measure',
        description: 'Number of items in the category.',
      },
      {
        name: 'total_amount',
        type: 'decimal(18,2)',
        primaryKey: false,
        nullable: false,
        role: 'measure',
        description: 'Sum of the item amounts.',
      },
    ],
    fixtures: new Map(),
    grain: 'one row per category (inline sample data until inputs are added)',
  };
}

export function standaloneConsumerLogic(name: string): SampleLogic {
  const sql = [
    sqlComment(HOW_TO_ADD_INPUT(name)),
    'WITH sample (entity_id, label, metric_value, as_of_date) AS (',
    '  VALUES',
    "    (1, 'North', 120.50, '2026-01-05'),",
    "    (2, 'South', 98.00, '2026-01-05'),",
    "    (3, 'East', 143.25, '2026-01-05')",
    ')',
    'SELECT',
    '  CAST(entity_id AS BIGINT) AS entity_id,',
    '  label,',
    '  CAST(metric_value AS DECIMAL(18, 2)) AS metric_value,',
    '  CAST(as_of_date AS DATE) AS as_of_date',
    'FROM sample',
    'ORDER BY entity_id',
    '',
  ].join('\n');
  return {
    sql,
    output: [
      {
        name: 'entity_id',
        type: 'integer',
        primaryKey: true,
        nullable: false,
        role: 'identity',
        description: 'Key the consumers look rows up by.',
      },
      {
        name: 'label',
        type: 'string',
        primaryKey: false,
        nullable: true,
        role: 'attribute',
        description: 'Display label.',
      },
      {
        name: 'metric_value',
        type: 'decimal(18,2)',
        primaryKey: false,
        nullable: true,
        role: 'measure',
        description: 'The value shown to consumers.',
      },
      {
        name: 'as_of_date',
        type: 'date',
        primaryKey: false,
        nullable: true,
        role: 'attribute',
        description: 'Date the value refers to.',
      },
    ],
    fixtures: new Map(),
    grain: 'one row per entity_id (inline sample data until inputs are added)',
  };
}
