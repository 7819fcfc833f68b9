/**
 * The type of a statement that is not a query, from its first words, named as the rules know
 * them (`InsertStmt`, `CopyStmt`, …). Queries that DuckDB cannot serialize (PIVOT whose columns
 * come from the data) are `SelectStmt`.
 */
const BY_WORD: Readonly<Record<string, string>> = {
  insert: 'InsertStmt',
  update: 'UpdateStmt',
  delete: 'DeleteStmt',
  merge: 'MergeStmt',
  drop: 'DropStmt',
  truncate: 'TruncateStmt',
  copy: 'CopyStmt',
  load: 'LoadStmt',
  attach: 'AttachStmt',
  detach: 'DetachStmt',
  install: 'InstallStmt',
  force: 'InstallStmt',
  export: 'ExportStmt',
  import: 'ImportStmt',
  pivot: 'SelectStmt',
  unpivot: 'SelectStmt',
  pivot_wider: 'SelectStmt',
  pivot_longer: 'SelectStmt',
  select: 'SelectStmt',
  with: 'SelectStmt',
  from: 'SelectStmt',
  values: 'SelectStmt',
  '(': 'SelectStmt',
};

export function statementType(text: string): string {
  const words = /^\s*(\(|[A-Za-z_]+)(?:\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?([A-Za-z_]+))?/i.exec(text);
  const first = words?.[1]?.toLowerCase() ?? '';
  const second = words?.[2]?.toLowerCase() ?? '';
  if (first === 'create') {
    if (second === 'view') return 'ViewStmt';
    if (second === 'table') return /\bAS\b/i.test(text) ? 'CreateTableAsStmt' : 'CreateStmt';
    return 'CreateStmt';
  }
  if (first === 'with') {
    const verb = /\)\s*(insert|update|delete)\b/i.exec(text)?.[1]?.toLowerCase();
    if (verb !== undefined) return BY_WORD[verb] ?? 'SelectStmt';
  }
  return BY_WORD[first] ?? `${first.charAt(0).toUpperCase()}${first.slice(1)}Stmt`;
}
