/** SQL text helpers for generated (DuckDB-dialect) SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A YAML scalar as a SQL literal: numbers and booleans as they are, anything else as text. */
export function sqlValue(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value === null || value === undefined) return 'NULL';
  return quoteLiteral(String(value));
}

/** The table names an input is visible as: its id and its underscore form. */
export function inputTableNames(id: string): string[] {
  const underscore = id.replace(/-/g, '_');
  return underscore === id ? [id] : [id, underscore];
}
