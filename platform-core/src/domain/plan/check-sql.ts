import { durationSeconds } from '../duration.js';
import { quoteIdent as q, quoteLiteral, sqlValue } from './sql-text.js';

/**
 * The SQL of the built-in quality checks, over a relation the plan names (the new snapshot).
 * Every `sql` returns one row with `measured` (the value compared) and `passed` (boolean);
 * `samples_sql`, when present, returns up to 20 failing rows for diagnosis.
 */
export interface CheckSql {
  readonly sql: string;
  readonly samplesSql?: string;
}

export interface CheckContext {
  /** The relation of the output snapshot, already quoted. */
  readonly output: string;
  /** The relation of a referenced product's current snapshot, already quoted. */
  readonly reference: (product: string) => string;
}

export const SAMPLE_LIMIT = 20;

type Config = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

function failuresCheck(output: string, failing: string): CheckSql {
  return {
    sql: `SELECT COUNT(*) AS measured, COUNT(*) = 0 AS passed\nFROM ${output}\nWHERE ${failing}`,
    samplesSql: `SELECT *\nFROM ${output}\nWHERE ${failing}\nLIMIT ${SAMPLE_LIMIT}`,
  };
}

/** The SQL of a declarative check, or undefined for custom_python and unknown types. */
export function checkSql(type: string, config: Config, ctx: CheckContext, customSql?: string): CheckSql | undefined {
  const o = ctx.output;
  switch (type) {
    case 'completeness': {
      const c = q(str(config['column']));
      const threshold = num(config['threshold'], 1);
      return {
        sql: `SELECT measured, measured >= ${threshold} AS passed\nFROM (SELECT CASE WHEN COUNT(*) = 0 THEN 1.0 ELSE COUNT(${c}) / COUNT(*) END AS measured FROM ${o})`,
        samplesSql: `SELECT *\nFROM ${o}\nWHERE ${c} IS NULL\nLIMIT ${SAMPLE_LIMIT}`,
      };
    }
    case 'freshness': {
      const c = q(str(config['column']));
      const maxAge = durationSeconds(str(config['max_age'])) ?? 0;
      return {
        sql: `SELECT measured, COALESCE(measured <= ${maxAge}, FALSE) AS passed\nFROM (SELECT epoch(CAST(now() AS TIMESTAMP)) - epoch(MAX(CAST(${c} AS TIMESTAMP))) AS measured FROM ${o})`,
      };
    }
    case 'volume': {
      const bounds = [
        ...(typeof config['min_rows'] === 'number' ? [`measured >= ${config['min_rows']}`] : []),
        ...(typeof config['max_rows'] === 'number' ? [`measured <= ${config['max_rows']}`] : []),
      ];
      return {
        sql: `SELECT measured, ${bounds.join(' AND ') || 'TRUE'} AS passed\nFROM (SELECT COUNT(*) AS measured FROM ${o})`,
      };
    }
    case 'uniqueness': {
      const cols = list(config['columns']).map(q).join(', ');
      const groups = `SELECT ${cols}, COUNT(*) AS occurrences FROM ${o} GROUP BY ${cols} HAVING COUNT(*) > 1`;
      return {
        sql: `SELECT COUNT(*) AS measured, COUNT(*) = 0 AS passed\nFROM (${groups})`,
        samplesSql: `${groups}\nORDER BY occurrences DESC\nLIMIT ${SAMPLE_LIMIT}`,
      };
    }
    case 'range': {
      const c = q(str(config['column']));
      const parts = [
        ...(config['min'] !== undefined ? [`${c} < ${sqlValue(config['min'])}`] : []),
        ...(config['max'] !== undefined ? [`${c} > ${sqlValue(config['max'])}`] : []),
      ];
      return failuresCheck(o, parts.length ? `(${parts.join(' OR ')})` : 'FALSE');
    }
    case 'accepted_values': {
      const c = q(str(config['column']));
      const values = Array.isArray(config['values']) ? config['values'].map(sqlValue).join(', ') : '';
      return failuresCheck(o, `${c} IS NOT NULL AND ${c} NOT IN (${values || 'NULL'})`);
    }
    case 'regex': {
      const c = q(str(config['column']));
      return failuresCheck(
        o,
        `${c} IS NOT NULL AND NOT regexp_matches(CAST(${c} AS VARCHAR), ${quoteLiteral(str(config['pattern']))})`,
      );
    }
    case 'referential': {
      const c = q(str(config['column']));
      const ref = ctx.reference(str(config['reference_product']));
      const rc = q(str(config['reference_column']));
      return failuresCheck(
        `${o} AS o`,
        `o.${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref} AS r WHERE r.${rc} = o.${c})`,
      );
    }
    case 'custom_expression': {
      const expr = str(config['expression']);
      const threshold = num(config['threshold'], 1);
      return {
        sql: `SELECT measured, measured >= ${threshold} AS passed\nFROM (SELECT CASE WHEN COUNT(*) = 0 THEN 1.0 ELSE AVG(CASE WHEN (${expr}) THEN 1.0 ELSE 0.0 END) END AS measured FROM ${o})`,
        samplesSql: `SELECT *\nFROM ${o}\nWHERE NOT COALESCE((${expr}), FALSE)\nLIMIT ${SAMPLE_LIMIT}`,
      };
    }
    case 'custom_sql':
      return customSql === undefined ? undefined : { sql: substituteOutput(customSql, o) };
    default:
      return undefined;
  }
}

/** Replaces every `{output}` of a custom_sql check with the output relation. */
export function substituteOutput(sql: string, output: string): string {
  return sql.replace(/\{\s*output\s*\}/g, output);
}
