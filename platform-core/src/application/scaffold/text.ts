import { stringify } from 'yaml';

/** A YAML scalar for a string: plain when the plain form reads back as the same string, else double-quoted. */
export function yamlString(value: string): string {
  const plain = stringify(value, { lineWidth: 0 }).trimEnd();
  if (plain === value && !/^[\s]|[\s]$|: |#/.test(value)) return value;
  return JSON.stringify(value);
}

/** A flow sequence of strings: `[a, b, "c d"]`. */
export function yamlFlowList(values: readonly string[]): string {
  return `[${values.map(yamlString).join(', ')}]`;
}

/**
 * Words that cannot be used as bare column or table names in the SQL that Hekima parses
 * (PostgreSQL grammar) or runs (DuckDB): they are double-quoted in generated SQL.
 */
const SQL_RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'between',
  'binary',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'initially',
  'inner',
  'intersect',
  'into',
  'is',
  'isnull',
  'join',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'notnull',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'placing',
  'primary',
  'qualify',
  'references',
  'returning',
  'right',
  'select',
  'session_user',
  'similar',
  'some',
  'symmetric',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
  'pivot',
  'pivot_longer',
  'pivot_wider',
  'unpivot',
  'summarize',
  'describe',
  'show',
]);

/** A column or table name for SQL text: bare when it is a plain lowercase identifier, else double-quoted. */
export function sqlIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !SQL_RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** One CSV field: quoted when it holds a comma, a quote, a line break or edge spaces. */
function csvField(value: string | null): string {
  if (value === null) return '';
  if (/[",\r\n]/.test(value) || /^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** A CSV file with a header line; null cells are written empty. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Comment lines (`-- text`) for SQL. */
export function sqlComment(lines: readonly string[]): string {
  return lines.map((l) => (l === '' ? '--' : `-- ${l}`)).join('\n');
}

/** Comment lines (`# text`) for YAML, indented. */
export function yamlComment(lines: readonly string[], indent = ''): string {
  return lines.map((l) => (l === '' ? `${indent}#` : `${indent}# ${l}`)).join('\n');
}
