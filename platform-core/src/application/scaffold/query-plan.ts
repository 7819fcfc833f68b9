import type { ColumnType } from '../../domain/column-type.js';
import { formatColumnType } from '../../domain/column-type.js';
import { columnName, snake, uniqueName } from './naming.js';
import { isKeyType, keyValue, rowValue, typeOf } from './fixture-values.js';
import { sqlIdent, toCsv } from './text.js';

/**
 * The SQL that `hekima init` writes for aggregate and consumer products that read other
 * products, built from the upstream output columns, with fixture rows for every input. The
 * expected output is not computed here: the engine runs the SQL on those rows
 * (`expected-output.ts`), so tests/fixtures/expected_output.csv is what DuckDB returns.
 */

/** A column of an upstream output.yaml, or of the output being scaffolded. */
export interface ScaffoldColumn {
  readonly name: string;
  /** The output.yaml type text, e.g. decimal(12,2). */
  readonly type: string;
  readonly primaryKey: boolean;
  readonly nullable: boolean;
  readonly role: string;
  readonly description?: string;
}

export interface PlanInput {
  /** Input id: the upstream product's metadata.name. */
  readonly id: string;
  readonly columns: readonly ScaffoldColumn[];
}

export interface FixtureTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface QueryPlan {
  readonly sql: string;
  readonly output: readonly ScaffoldColumn[];
  /** Fixture rows per input id. */
  readonly fixtures: ReadonlyMap<string, FixtureTable>;
  /** One sentence: what a row of the output is. */
  readonly grain: string;
  readonly notes: readonly string[];
}

export type PlanShape = 'aggregate' | 'consumer';

const MAX_BASE_COLUMNS = 4;
const MAX_JOINED_COLUMNS = 3;
const MAX_MEASURES = 3;
const MAX_PROJECTED_COLUMNS = 6;
/** Key numbers of the rows of an input whose key is not its primary key: every key 1..3 occurs. */
const KEY_PATTERN = [1, 1, 2, 3, 3] as const;
const FACT_ROWS = 5;
const DIMENSION_ROWS = 3;

interface Source {
  readonly input: PlanInput;
  readonly alias: string;
  readonly table: string;
  readonly prefix: string;
}

/** One output column with how to compute it per output row. */
interface OutCol {
  readonly column: ScaffoldColumn;
  /** SQL select item (without trailing comma). */
  readonly select: string;
}

function soleKey(input: PlanInput): ScaffoldColumn | undefined {
  const pks = input.columns.filter((c) => c.primaryKey);
  return pks.length === 1 ? pks[0] : undefined;
}

function keyColumns(input: PlanInput): ScaffoldColumn[] {
  const pks = input.columns.filter((c) => c.primaryKey);
  return pks.length > 0 ? pks : input.columns.slice(0, 1);
}

function isNumeric(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'float' || type.kind === 'decimal';
}

const KEY_NAME = /(_id|_key|_code|_sku|_no|_number)$|^(id|sku|code)$/;

function isKeyLike(c: ScaffoldColumn): boolean {
  return c.primaryKey || c.role === 'identity' || c.role === 'event_key' || KEY_NAME.test(c.name);
}

/** Names of numeric columns that do not add up across rows (prices, ratios, averages). */
const NON_ADDITIVE = /(price|rate|ratio|pct|percent|share|avg|average|mean|median|score|lift|support|_per_)/;

/** Numeric columns worth summing: declared measures first, else numeric attributes that are not ids. */
function measuresOf(input: PlanInput, exclude: ReadonlySet<string>): ScaffoldColumn[] {
  const numeric = input.columns.filter(
    (c) => !c.primaryKey && !exclude.has(c.name) && isNumeric(typeOf(c.type)) && !NON_ADDITIVE.test(c.name),
  );
  const declared = numeric.filter((c) => c.role === 'measure');
  const pool = declared.length > 0 ? declared : numeric.filter((c) => c.role === 'attribute' && !KEY_NAME.test(c.name));
  return pool.slice(0, MAX_MEASURES);
}

/** The SQL type a SUM is cast to, and the output.yaml type of the result. */
function sumType(type: ColumnType): { sql: string; output: ColumnType } {
  if (type.kind === 'decimal')
    return { sql: `DECIMAL(38, ${type.scale})`, output: { kind: 'decimal', precision: 38, scale: type.scale } };
  if (type.kind === 'float') return { sql: 'DOUBLE', output: { kind: 'float' } };
  return { sql: 'BIGINT', output: { kind: 'integer' } };
}

function aliasFor(id: string, taken: Set<string>): string {
  const initials = id
    .split('-')
    .map((w) => w[0] ?? '')
    .join('')
    .replace(/[^a-z]/g, '');
  let alias = /^[a-z]/.test(initials) ? initials : 't';
  if (sqlIdent(alias) !== alias || taken.has(alias)) {
    let i = 1;
    while (taken.has(`${alias}${i}`)) i++;
    alias = `${alias}${i}`;
  }
  taken.add(alias);
  return alias;
}

/** SQL reference of an input table: its id verbatim, quoted when it has a hyphen. */
export function tableRef(id: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(id) ? sqlIdent(id) : `"${id}"`;
}

function makeSources(inputs: readonly PlanInput[]): Source[] {
  const aliases = new Set<string>();
  return inputs.map((input) => ({
    input,
    alias: aliasFor(input.id, aliases),
    table: tableRef(input.id),
    prefix: snake(input.id),
  }));
}

/** Role of a copied column in the new output. */
function copiedRole(column: ScaffoldColumn, inOutputKey: boolean, identities: ReadonlySet<string>): string {
  if (inOutputKey) return 'identity';
  if (column.role === 'identity') return 'event_key';
  if (column.role === 'event_key') return identities.has(column.name) ? 'event_key' : 'attribute';
  if (column.role === 'measure' && !isNumeric(typeOf(column.type))) return 'attribute';
  return column.role;
}

/** Fixture rows of an input, given which of its columns act as join or group keys. */
function fixtureRows(input: PlanInput, keyCols: ReadonlySet<string>): string[][] {
  const sole = soleKey(input);
  const keyed = sole !== undefined && keyCols.has(sole.name);
  const count = keyed ? DIMENSION_ROWS : FACT_ROWS;
  const rows: string[][] = [];
  for (let r = 1; r <= count; r++) {
    rows.push(
      input.columns.map((c) => {
        const type = typeOf(c.type);
        if (keyed && c.name === sole.name) return keyValue(c.name, type, r);
        if (keyCols.has(c.name)) return keyValue(c.name, type, KEY_PATTERN[(r - 1) % KEY_PATTERN.length] ?? 1);
        return rowValue(c.name, type, r, c.primaryKey);
      }),
    );
  }
  return rows;
}

function fixtureTable(input: PlanInput, rows: readonly (readonly string[])[]): FixtureTable {
  return { header: input.columns.map((c) => c.name), rows };
}

function selectList(items: readonly string[], indent: string): string {
  return items.map((s, i) => `${indent}${s}${i < items.length - 1 ? ',' : ''}`).join('\n');
}

/** A single input grouped by one of its columns (aggregate archetype). */
function groupPlan(source: Source): QueryPlan {
  const { input } = source;
  const candidates = input.columns.filter((c) => !c.primaryKey && c.role !== 'measure' && isKeyType(typeOf(c.type)));
  const group =
    candidates.find((c) => c.role === 'event_key') ??
    candidates.find((c) => typeOf(c.type).kind === 'date') ??
    candidates.find(
      (c) =>
        typeOf(c.type).kind === 'string' &&
        /(_id|_code|_type|category|status|country|region|city|segment|channel)$/.test(c.name),
    ) ??
    candidates.find((c) => typeOf(c.type).kind === 'string') ??
    keyColumns(input)[0];
  if (group === undefined) throw new Error(`input ${input.id} has no columns`);
  const measures = measuresOf(input, new Set([group.name]));
  const taken = new Set<string>([group.name]);
  const countName = uniqueName(columnName(source.prefix, 'count'), taken);
  taken.add(countName);
  const sums = measures.map((m) => {
    const type = typeOf(m.type);
    const st = sumType(type);
    const name = uniqueName(columnName('total', m.name), taken);
    taken.add(name);
    return { m, name, type, st };
  });
  const g = sqlIdent(group.name);
  const output: ScaffoldColumn[] = [
    {
      name: group.name,
      type: group.type,
      primaryKey: true,
      nullable: false,
      role: 'identity',
      description: `Group key: ${input.id}.${group.name}.`,
    },
    {
      name: countName,
      type: 'integer',
      primaryKey: false,
      nullable: false,
      role: 'measure',
      description: `Number of ${input.id} rows with this ${group.name}.`,
    },
    ...sums.map(({ m, name, st }) => ({
      name,
      type: formatColumnType(st.output),
      primaryKey: false,
      nullable: false,
      role: 'measure',
      description: `Sum of ${input.id}.${m.name}.`,
    })),
  ];
  const items = [
    g,
    `COUNT(*) AS ${sqlIdent(countName)}`,
    ...sums.map(({ m, name, st }) => `CAST(SUM(${sqlIdent(m.name)}) AS ${st.sql}) AS ${sqlIdent(name)}`),
  ];
  const sql = [
    'SELECT',
    selectList(items, '  '),
    `FROM ${source.table}`,
    `WHERE ${g} IS NOT NULL`,
    `GROUP BY ${g}`,
    `ORDER BY ${g}`,
  ].join('\n');

  const rows = fixtureRows(input, new Set([group.name]));
  return {
    sql,
    output,
    fixtures: new Map([[input.id, fixtureTable(input, rows)]]),
    grain: `one row per ${group.name} of ${input.id}`,
    notes: [],
  };
}

/** A single input projected to the columns one use case needs (consumer archetype). */
function projectionPlan(source: Source): QueryPlan {
  const { input } = source;
  const keys = keyColumns(input);
  const rest = input.columns.filter((c) => !keys.includes(c)).slice(0, MAX_PROJECTED_COLUMNS);
  const chosen = [...keys, ...rest];
  const identities = new Set(input.columns.filter((c) => c.role === 'identity').map((c) => c.name));
  const output: ScaffoldColumn[] = chosen.map((c) => ({
    name: c.name,
    type: c.type,
    primaryKey: keys.includes(c),
    nullable: keys.includes(c) ? false : c.nullable,
    role: copiedRole(c, keys.includes(c), identities),
    description: `From ${input.id}.${c.name}.`,
  }));
  const sql = [
    'SELECT',
    selectList(
      chosen.map((c) => sqlIdent(c.name)),
      '  ',
    ),
    `FROM ${source.table}`,
    `ORDER BY ${keys.map((k) => sqlIdent(k.name)).join(', ')}`,
  ].join('\n');
  const rows = fixtureRows(input, new Set());
  const notes =
    input.columns.length > chosen.length
      ? [
          `only ${chosen.length} of the ${input.columns.length} columns of '${input.id}' are selected; add the ones this use case needs to logic/transform.sql and output.yaml`,
        ]
      : [];
  return {
    sql,
    output,
    fixtures: new Map([[input.id, fixtureTable(input, rows)]]),
    grain: `one row per ${keys.map((k) => k.name).join(' and ')} of ${input.id}`,
    notes,
  };
}

type Join =
  | {
      readonly kind: 'one_to_one';
      readonly source: Source;
      readonly key: string;
      readonly picked: readonly { readonly column: ScaffoldColumn; readonly name: string }[];
    }
  | {
      readonly kind: 'aggregate';
      readonly source: Source;
      readonly key: string;
      readonly cte: string;
      readonly countName: string;
      readonly sums: readonly {
        readonly column: ScaffoldColumn;
        readonly name: string;
        readonly sql: string;
        readonly output: ColumnType;
      }[];
    }
  | { readonly kind: 'total'; readonly source: Source; readonly cte: string; readonly countName: string };

function sharedKey(base: PlanInput, other: PlanInput): string | undefined {
  const shared = base.columns.filter((b) => {
    const o = other.columns.find((c) => c.name === b.name);
    return (
      o !== undefined &&
      o.type === b.type &&
      isKeyType(typeOf(b.type)) &&
      b.role !== 'measure' &&
      o.role !== 'measure' &&
      (isKeyLike(b) || isKeyLike(o))
    );
  });
  if (shared.length === 0) return undefined;
  const baseSole = soleKey(base)?.name;
  const otherSole = soleKey(other)?.name;
  const rank = (name: string): number => {
    const b = base.columns.find((c) => c.name === name);
    const o = other.columns.find((c) => c.name === name);
    if (name === baseSole) return 0;
    if (name === otherSole) return 1;
    if (b?.primaryKey) return 2;
    if (b?.role === 'identity' || b?.role === 'event_key' || o?.role === 'identity' || o?.role === 'event_key')
      return 3;
    return 4;
  };
  return [...shared].sort((a, b) => rank(a.name) - rank(b.name))[0]?.name;
}

/** Several inputs: the base input (a dimension when one is shared), enriched or aggregated from the others. */
function joinPlan(sources: readonly Source[], shape: PlanShape): QueryPlan {
  const dimension = sources.find((s) => {
    const sole = soleKey(s.input);
    return (
      sole !== undefined &&
      sources.some((o) => o !== s && o.input.columns.some((c) => c.name === sole.name && c.type === sole.type))
    );
  });
  const base = dimension ?? sources[0];
  if (base === undefined) throw new Error('joinPlan needs inputs');
  const others = sources.filter((s) => s !== base);
  const notes: string[] = [];
  const baseKeys = keyColumns(base.input);
  const taken = new Set<string>(baseKeys.map((k) => k.name));
  const baseRest = base.input.columns.filter((c) => !baseKeys.includes(c)).slice(0, MAX_BASE_COLUMNS);
  for (const c of baseRest) taken.add(c.name);
  const identities = new Set(
    sources.flatMap((s) => s.input.columns.filter((c) => c.role === 'identity').map((c) => c.name)),
  );
  const cteNames = new Set<string>(sources.map((s) => snake(s.input.id)));

  const joins: Join[] = others.map((source) => {
    const key = sharedKey(base.input, source.input);
    if (key === undefined) {
      const cte = uniqueName(columnName(source.prefix, 'totals'), cteNames);
      cteNames.add(cte);
      const countName = uniqueName(columnName(source.prefix, 'rows'), taken);
      taken.add(countName);
      notes.push(
        `'${source.input.id}' shares no key column with '${base.input.id}', so the SQL only counts its rows (${countName}); replace that with the join your product needs`,
      );
      return { kind: 'total', source, cte, countName };
    }
    if (soleKey(source.input)?.name === key) {
      const picked = source.input.columns
        .filter((c) => c.name !== key)
        .slice(0, MAX_JOINED_COLUMNS)
        .map((column) => {
          const name = uniqueName(taken.has(column.name) ? columnName(source.prefix, column.name) : column.name, taken);
          taken.add(name);
          return { column, name };
        });
      return { kind: 'one_to_one', source, key, picked };
    }
    const cte = uniqueName(columnName(source.prefix, `by_${key}`), cteNames);
    cteNames.add(cte);
    const countName = uniqueName(columnName(source.prefix, 'count'), taken);
    taken.add(countName);
    const sums = measuresOf(source.input, new Set([key])).map((column) => {
      const st = sumType(typeOf(column.type));
      const name = uniqueName(columnName(source.prefix, `total_${column.name}`), taken);
      taken.add(name);
      return { column, name, sql: st.sql, output: st.output };
    });
    return { kind: 'aggregate', source, key, cte, countName, sums };
  });

  // Output columns and select items, in order.
  const out: OutCol[] = [];
  const b = base.alias;
  for (const c of [...baseKeys, ...baseRest]) {
    const isKey = baseKeys.includes(c);
    out.push({
      column: {
        name: c.name,
        type: c.type,
        primaryKey: isKey,
        nullable: isKey ? false : c.nullable,
        role: copiedRole(c, isKey, identities),
        description: `From ${base.input.id}.${c.name}.`,
      },
      select: `${b}.${sqlIdent(c.name)}`,
    });
  }
  for (const j of joins) {
    const a = j.source.alias;
    if (j.kind === 'one_to_one') {
      for (const p of j.picked) {
        out.push({
          column: {
            name: p.name,
            type: p.column.type,
            primaryKey: false,
            nullable: true,
            role: copiedRole(p.column, false, identities),
            description: `From ${j.source.input.id}.${p.column.name}, matched on ${j.key}.`,
          },
          select:
            p.name === p.column.name
              ? `${a}.${sqlIdent(p.column.name)}`
              : `${a}.${sqlIdent(p.column.name)} AS ${sqlIdent(p.name)}`,
        });
      }
    } else if (j.kind === 'aggregate') {
      out.push({
        column: {
          name: j.countName,
          type: 'integer',
          primaryKey: false,
          nullable: false,
          role: 'measure',
          description: `Number of ${j.source.input.id} rows per ${j.key} (0 when none).`,
        },
        select: `COALESCE(${a}.${sqlIdent(j.countName)}, 0) AS ${sqlIdent(j.countName)}`,
      });
      for (const s of j.sums) {
        out.push({
          column: {
            name: s.name,
            type: formatColumnType(s.output),
            primaryKey: false,
            nullable: false,
            role: 'measure',
            description: `Sum of ${j.source.input.id}.${s.column.name} per ${j.key} (0 when none).`,
          },
          select: `COALESCE(${a}.${sqlIdent(s.name)}, 0) AS ${sqlIdent(s.name)}`,
        });
      }
    } else {
      out.push({
        column: {
          name: j.countName,
          type: 'integer',
          primaryKey: false,
          nullable: false,
          role: 'measure',
          description: `Total number of ${j.source.input.id} rows.`,
        },
        select: `${a}.${sqlIdent(j.countName)}`,
      });
    }
  }

  // SQL text.
  const ctes: string[] = [];
  for (const j of joins) {
    if (j.kind === 'aggregate') {
      const k = sqlIdent(j.key);
      const items = [
        k,
        `COUNT(*) AS ${sqlIdent(j.countName)}`,
        ...j.sums.map((s) => `CAST(SUM(${sqlIdent(s.column.name)}) AS ${s.sql}) AS ${sqlIdent(s.name)}`),
      ];
      ctes.push(`${j.cte} AS (\n  SELECT\n${selectList(items, '    ')}\n  FROM ${j.source.table}\n  GROUP BY ${k}\n)`);
    } else if (j.kind === 'total') {
      ctes.push(`${j.cte} AS (\n  SELECT COUNT(*) AS ${sqlIdent(j.countName)}\n  FROM ${j.source.table}\n)`);
    }
  }
  const from = [`FROM ${base.table} AS ${b}`];
  for (const j of joins) {
    const a = j.source.alias;
    if (j.kind === 'one_to_one')
      from.push(`LEFT JOIN ${j.source.table} AS ${a} ON ${a}.${sqlIdent(j.key)} = ${b}.${sqlIdent(j.key)}`);
    else if (j.kind === 'aggregate')
      from.push(`LEFT JOIN ${j.cte} AS ${a} ON ${a}.${sqlIdent(j.key)} = ${b}.${sqlIdent(j.key)}`);
    else from.push(`CROSS JOIN ${j.cte} AS ${a}`);
  }
  const sql = [
    ...(ctes.length ? [`WITH ${ctes.join(',\n')}`] : []),
    'SELECT',
    selectList(
      out.map((o) => o.select),
      '  ',
    ),
    ...from,
    `ORDER BY ${baseKeys.map((k) => `${b}.${sqlIdent(k.name)}`).join(', ')}`,
  ].join('\n');

  // Fixture rows: every column used as a join key gets values shared across inputs.
  const keyCols = new Map<Source, Set<string>>(sources.map((s) => [s, new Set<string>()]));
  for (const j of joins) {
    if (j.kind === 'total') continue;
    keyCols.get(base)?.add(j.key);
    keyCols.get(j.source)?.add(j.key);
  }
  const output = out.map((o) => o.column);
  const fixtures = new Map<string, FixtureTable>();
  for (const s of sources) {
    fixtures.set(s.input.id, fixtureTable(s.input, fixtureRows(s.input, keyCols.get(s) ?? new Set())));
  }
  const enriched = joins.filter((j) => j.kind !== 'total').map((j) => j.source.input.id);
  const enrichedText =
    enriched.length <= 1
      ? (enriched[0] ?? '')
      : `${enriched.slice(0, -1).join(', ')} and ${enriched[enriched.length - 1]}`;
  const verb = shape === 'consumer' ? 'shaped for serving' : 'aggregated';
  return {
    sql,
    output,
    fixtures,
    grain: `one row per ${baseKeys.map((k) => k.name).join(' and ')} of ${base.input.id}${enriched.length ? `, ${verb} with ${enrichedText}` : ''}`,
    notes,
  };
}

/** Builds the plan for inputs that read other products. */
export function planQuery(inputs: readonly PlanInput[], shape: PlanShape): QueryPlan {
  const sources = makeSources(inputs);
  const first = sources[0];
  if (first === undefined) throw new Error('planQuery needs at least one input');
  if (sources.length === 1) return shape === 'aggregate' ? groupPlan(first) : projectionPlan(first);
  return joinPlan(sources, shape);
}

export function fixtureCsv(table: FixtureTable): string {
  return toCsv(table.header, table.rows);
}
