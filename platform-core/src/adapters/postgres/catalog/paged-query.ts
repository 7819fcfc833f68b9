import { toPage, toPageQuery, type Page, type PageRequest } from '../../../domain/pagination.js';
import type { SqlExecutor, SqlParam, SqlRow } from '../../../ports/sql-database.js';

export interface PagedSelect<T extends { readonly createdAt: string; readonly id: string }> {
  /** A table name (a constant of the repository, never input). */
  readonly from: string;
  /** Conditions joined with AND, using `$1…$n` of `params`. Must include the tenant filter. */
  readonly where: readonly string[];
  readonly params: readonly SqlParam[];
  readonly map: (row: SqlRow) => T;
}

/**
 * One page in `created_at DESC, id DESC` order. The cursor condition is a row comparison
 * `(created_at, id) < (…)`, so rows sharing a created_at (one transaction) are neither skipped nor
 * repeated. A second, index-only query tells whether rows lie beyond the cursor (hasPrevious for
 * `after`, hasNext for `before`).
 */
export async function pagedSelect<T extends { readonly createdAt: string; readonly id: string }>(
  sql: SqlExecutor,
  request: PageRequest | undefined,
  select: PagedSelect<T>,
): Promise<Page<T>> {
  const query = toPageQuery(request);
  const params: SqlParam[] = [...select.params];
  const where = [...select.where];
  let order = 'created_at DESC, id DESC';
  let beyond: string | undefined;
  if (query.position) {
    params.push(query.position.createdAt, query.position.id);
    const position = `($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    const after = query.direction === 'after';
    where.push(`(created_at, id) ${after ? '<' : '>'} ${position}`);
    beyond = `(created_at, id) ${after ? '>=' : '<='} ${position}`;
    if (!after) order = 'created_at ASC, id ASC';
  }
  const cursorParams = [...params];
  params.push(query.limit + 1);
  const { rows } = await sql.query(
    `SELECT * FROM ${select.from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  let beyondCursor = false;
  if (beyond !== undefined) {
    const conditions = [...select.where, beyond].join(' AND ');
    const result = await sql.query<{ beyond: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${select.from} WHERE ${conditions}) AS beyond`,
      cursorParams,
    );
    beyondCursor = result.rows[0]?.beyond === true;
  }
  return toPage(query, rows.map(select.map), (item) => ({ createdAt: item.createdAt, id: item.id }), beyondCursor);
}
