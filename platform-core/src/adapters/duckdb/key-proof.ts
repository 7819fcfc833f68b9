import { duckType } from './duck-sql.js';
import type { ShapePlan } from './shape-result.js';

/**
 * A static proof that the logic's result cannot repeat a primary key, read off DuckDB's own parse
 * tree (`json_serialize_sql`): the top-level query is ONE `GROUP BY` (a single grouping set) and
 * every grouping expression is, expression for expression, the select item of a primary-key
 * column, which output.yaml's shaping keeps as is. A GROUP BY yields one row per distinct tuple of
 * its keys, so the primary key (a superset of them) is unique and the GROUP BY over the written
 * file that would verify it can be skipped.
 *
 * Anything the proof does not understand means "not proven" (the check runs): set operations,
 * `GROUP BY ALL`, ROLLUP / CUBE / several grouping sets, grouping by position or by an expression
 * no key column repeats, `*` in the select list, set-returning functions in it (`unnest`,
 * `unlist`: one group, several rows), volatile functions or subqueries in a key, a key whose cast to the
 * declared type could merge two values (e.g. a DOUBLE to an INTEGER, a TIMESTAMP to a DATE), two
 * result columns of the same name, or modifiers other than ORDER BY / LIMIT / DISTINCT.
 */
export function groupByProvesKey(tree: unknown, plan: ShapePlan): boolean {
  const keys = plan.pairs.filter((p) => p.spec.primaryKey);
  if (keys.length === 0) return false;
  const statements = field(tree, 'statements');
  if (!Array.isArray(statements) || statements.length !== 1) return false;
  const node = field(statements[0], 'node');
  if (field(node, 'type') !== 'SELECT_NODE') return false;
  if (field(node, 'aggregate_handling') !== 'STANDARD_HANDLING' || field(node, 'sample') !== null) return false;
  const modifiers = field(node, 'modifiers');
  if (!Array.isArray(modifiers) || !modifiers.every((m) => SAFE_MODIFIERS.has(String(field(m, 'type'))))) return false;
  const groups = field(node, 'group_expressions');
  const sets = field(node, 'group_sets');
  const selectList = field(node, 'select_list');
  if (!Array.isArray(groups) || groups.length === 0 || !Array.isArray(selectList)) return false;
  if (!Array.isArray(sets) || sets.length !== 1 || !coversAll(sets[0], groups.length)) return false;
  if (selectList.some((item) => mentions(item, (n) => field(n, 'class') === 'STAR' || isSetReturning(n)))) return false;

  // The select item behind each result column, by the name the result gives it.
  const byName = new Map<string, unknown>();
  for (const item of selectList) {
    const name = outputName(item)?.toLowerCase();
    if (name === undefined) continue;
    if (byName.has(name)) return false;
    byName.set(name, item);
  }
  const keyExpressions: string[] = [];
  for (const { spec, src } of keys) {
    const item = byName.get(spec.name.toLowerCase());
    if (item === undefined || src.name.toLowerCase() !== spec.name.toLowerCase()) return false;
    if (!castKeepsValuesApart(src.type, duckType(spec.type))) return false;
    if (mentions(item, (n) => isVolatile(n) || field(n, 'class') === 'SUBQUERY')) return false;
    keyExpressions.push(canonical(item));
  }
  return groups.every((g) => field(g, 'class') !== 'CONSTANT' && keyExpressions.includes(canonical(g)));
}

const SAFE_MODIFIERS = new Set(['ORDER_MODIFIER', 'LIMIT_MODIFIER', 'LIMIT_PERCENT_MODIFIER', 'DISTINCT_MODIFIER']);

/** Functions that turn one row into several when they appear in a select list. */
const SET_RETURNING = new Set(['unnest', 'unlist']);

/** Functions that may give two rows of one group different values, or one value to two groups. */
const VOLATILE = new Set(['random', 'uuid', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'nextval', 'setseed']);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function functionName(node: unknown): string | undefined {
  return field(node, 'class') === 'FUNCTION' ? String(field(node, 'function_name')).toLowerCase() : undefined;
}

function isSetReturning(node: unknown): boolean {
  const name = functionName(node);
  return name !== undefined && SET_RETURNING.has(name);
}

function isVolatile(node: unknown): boolean {
  const name = functionName(node);
  return name !== undefined && VOLATILE.has(name);
}

/** Whether `test` holds for the node or anything under it. */
function mentions(node: unknown, test: (node: unknown) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => mentions(n, test));
  if (typeof node !== 'object' || node === null) return false;
  if (test(node)) return true;
  return Object.values(node).some((v) => mentions(v, test));
}

/** The grouping set lists every grouping expression (a plain GROUP BY). */
function coversAll(set: unknown, count: number): boolean {
  if (!Array.isArray(set) || set.length !== count) return false;
  const seen = new Set(set.map(Number));
  return seen.size === count && [...seen].every((i) => Number.isInteger(i) && i >= 0 && i < count);
}

/** The name DuckDB gives a select item's column: its alias, or a bare column reference's name. */
function outputName(item: unknown): string | undefined {
  const alias = field(item, 'alias');
  if (typeof alias === 'string' && alias !== '') return alias;
  if (field(item, 'class') !== 'COLUMN_REF') return undefined;
  const names = field(item, 'column_names');
  return Array.isArray(names) && names.length > 0 ? String(names.at(-1)) : undefined;
}

/** The expression as text without its own alias and the positions in the query text. */
function canonical(node: unknown): string {
  const top = { ...(node as Record<string, unknown>), alias: '' };
  return JSON.stringify(top, (key, value: unknown) => (key === 'query_location' ? undefined : value));
}

const INTEGERS = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
]);

/**
 * A cast (as the shaping's strict CAST) that maps distinct values to distinct values: none;
 * between integer types (a value out of range fails the run, it never wraps); integers or
 * decimals to a decimal of at least their scale (exact, or fails on overflow). Anything else —
 * floating point to integer, fewer decimals, timestamps to dates, text to anything — may merge.
 */
function castKeepsValuesApart(from: string, to: string): boolean {
  const a = from.toUpperCase();
  const b = to.toUpperCase();
  if (a === b) return true;
  if (INTEGERS.has(a) && INTEGERS.has(b)) return true;
  const target = decimal(b);
  if (target === undefined) return false;
  if (INTEGERS.has(a)) return true;
  const source = decimal(a);
  return source !== undefined && target.scale >= source.scale;
}

function decimal(type: string): { readonly scale: number } | undefined {
  const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  return m ? { scale: Number(m[2]) } : undefined;
}
