import type { JsonValue } from '../../domain/json.js';
import type { QualityCheckPlan } from '../../domain/plan/product-plan.js';

type Config = Readonly<Record<string, unknown>>;

const pick = (config: Config, keys: readonly string[]): JsonValue =>
  Object.fromEntries(keys.filter((k) => config[k] !== undefined).map((k) => [k, config[k] as JsonValue]));

/** What a built-in check compares its measured value with (kept beside the result). */
export function thresholdOf(check: QualityCheckPlan): JsonValue {
  const config = check.config ?? {};
  switch (check.type) {
    case 'completeness':
    case 'custom_expression':
      return typeof config['threshold'] === 'number' ? config['threshold'] : 1;
    case 'freshness':
      return pick(config, ['max_age']);
    case 'volume':
      return pick(config, ['min_rows', 'max_rows']);
    case 'range':
      return pick(config, ['min', 'max']);
    case 'accepted_values':
      return pick(config, ['values']);
    case 'regex':
      return pick(config, ['pattern']);
    case 'referential':
      return pick(config, ['reference_product', 'reference_column']);
    case 'uniqueness':
      return 0;
    case 'custom_sql':
      return check.expect ?? null;
    default:
      return null;
  }
}

/** A sentence saying what was measured and what was expected. */
export function describeMeasure(check: QualityCheckPlan, measured: JsonValue, passed: boolean): string {
  const config = check.config ?? {};
  const column = typeof config['column'] === 'string' ? config['column'] : undefined;
  const verdict = passed ? 'passed' : 'failed';
  switch (check.type) {
    case 'completeness':
      return `${verdict}: ${String(measured)} of ${column} is non-null, expected ≥ ${String(thresholdOf(check))}`;
    case 'custom_expression':
      return `${verdict}: ${String(measured)} of rows satisfy the expression, expected ≥ ${String(thresholdOf(check))}`;
    case 'freshness':
      return measured === null
        ? `${verdict}: ${column} has no value (no rows), expected the newest within ${String(config['max_age'])}`
        : `${verdict}: the newest ${column} is ${String(measured)} s old, expected ≤ ${String(config['max_age'])}`;
    case 'volume':
      return `${verdict}: ${String(measured)} rows, expected ${bounds(config['min_rows'], config['max_rows'])}`;
    case 'uniqueness':
      return `${verdict}: ${String(measured)} duplicated combination(s) of ${JSON.stringify(config['columns'])}, expected 0`;
    case 'range':
      return `${verdict}: ${String(measured)} row(s) of ${column} outside ${bounds(config['min'], config['max'])}`;
    case 'accepted_values':
      return `${verdict}: ${String(measured)} row(s) of ${column} not in ${JSON.stringify(config['values'])}`;
    case 'regex':
      return `${verdict}: ${String(measured)} row(s) of ${column} do not match /${String(config['pattern'])}/`;
    case 'referential':
      return `${verdict}: ${String(measured)} row(s) of ${column} have no match in ${String(config['reference_product'])}.${String(config['reference_column'])}`;
    default:
      return `${verdict}: measured ${JSON.stringify(measured)}`;
  }
}

function bounds(min: unknown, max: unknown): string {
  if (min !== undefined && max !== undefined) return `in [${String(min)}, ${String(max)}]`;
  if (min !== undefined) return `≥ ${String(min)}`;
  if (max !== undefined) return `≤ ${String(max)}`;
  return 'any';
}
