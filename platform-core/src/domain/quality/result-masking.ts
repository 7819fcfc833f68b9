import { classificationRank, isClassification, type Classification } from '../classification.js';
import type { JsonValue } from '../json.js';
import type { ProductPlan } from '../plan/product-plan.js';
import { MASKED, mayRead } from './masking.js';
import type { CheckOutcome, GateOutcome, SampleRow } from './quality-result.js';

/**
 * The classification a check's results carry: the product's level and each output column's own,
 * as the plan the check ran under declared them. Kept with every stored result, so a reader is
 * masked per the data's classification, whatever the manifests say today.
 */
export interface ResultClassification {
  /** metadata.classification (undefined: not classified). */
  readonly product?: string;
  /** Output column → its own classification (undefined: the product's level). */
  readonly columns: Readonly<Record<string, string | undefined>>;
}

/** What a plan declares: `classification` of product.yaml and of each output.yaml column. */
export function planClassification(plan: ProductPlan): ResultClassification {
  const product = plan.product.classification ?? undefined;
  return {
    ...(product !== undefined ? { product } : {}),
    columns: Object.fromEntries(plan.output.columns.map((c) => [c.name, c.classification ?? undefined])),
  };
}

/** For results stored without their classification (older rows): everything counts as restricted. */
export const UNKNOWN_CLASSIFICATION: ResultClassification = { product: 'restricted', columns: {} };

/** Check types whose result values are whatever the author's SQL or Python chose to return. */
const AUTHORED = new Set(['custom_sql', 'custom_python']);

/** The highest level among levels (an unknown level counts as restricted; none: public). */
export function highestLevel(levels: Iterable<string | undefined>): Classification {
  let top: Classification = 'public';
  for (const level of levels) {
    const known: Classification = level === undefined ? 'public' : isClassification(level) ? level : 'restricted';
    if (classificationRank(known) > classificationRank(top)) top = known;
  }
  return top;
}

/**
 * The level of values a check's author computed (custom_sql `measured` and `message`, custom_python
 * results, any check's error text): aliases can name them anything (`string_agg(email) AS city`),
 * so they carry the product's highest column classification, or the product's own level when its
 * columns have none.
 */
export function authoredLevel(classification: ResultClassification): Classification {
  const own = Object.values(classification.columns).filter((l) => typeof l === 'string');
  return own.length > 0 ? highestLevel(own) : highestLevel([classification.product]);
}

export interface MaskedOutcome<T extends CheckOutcome> {
  readonly outcome: T;
  /** The highest classification among the values the outcome carries (masked or not). */
  readonly level: Classification;
  /** What was hidden from this reader: sample column names, and `measured` / `message`. */
  readonly masked: readonly string[];
  /** Sample columns (and `measured` / `message`) shown in clear that carry a level above public. */
  readonly revealed: readonly string[];
}

/**
 * A check outcome as a reader with `clearance` may see it (fail closed: an unknown clearance reads
 * only public values). Built-in checks: sample cells are masked by their column's classification
 * (unnamed columns such as `occurrences` take the product's level); `measured` and `message` are
 * counts, ratios and bounds, except freshness, whose age reveals a column's newest value (it
 * carries {@link authoredLevel}, like authored values).
 * custom_sql / custom_python: every value carries {@link authoredLevel}. An `error` message (an
 * engine error may quote a value) carries it too. The threshold comes from the manifest and stays.
 */
export function maskOutcome<T extends CheckOutcome>(
  outcome: T,
  classification: ResultClassification,
  clearance: string | undefined,
): MaskedOutcome<T> {
  const authored = authoredLevel(classification);
  const masked = new Set<string>();
  const revealed = new Set<string>();
  const levels: (string | undefined)[] = [];
  const see = (name: string, level: string | undefined, present: boolean): boolean => {
    if (present) levels.push(level);
    const ok = mayRead(level, clearance);
    if (present) (ok ? (highestLevel([level]) !== 'public' ? revealed : undefined) : masked)?.add(name);
    return ok;
  };
  const isAuthored = AUTHORED.has(outcome.type);
  const column = (name: string) =>
    isAuthored ? authored : (classification.columns[name] ?? classification.product ?? undefined);
  const samples: SampleRow[] = outcome.samples.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, v === null || see(k, column(k), true) ? v : (MASKED as JsonValue)]),
    ),
  );
  const valueLevel = isAuthored || outcome.status === 'error' || outcome.type === 'freshness' ? authored : undefined;
  const hasMeasured = outcome.measured !== null;
  const measured: JsonValue =
    !hasMeasured || see('measured', valueLevel, true) ? outcome.measured : maskValue(outcome.measured);
  const message = see('message', valueLevel, outcome.message !== '')
    ? outcome.message
    : `${outcome.status}: ${MASKED} (the result carries ${valueLevel} data, above your clearance)`;
  return {
    outcome: { ...outcome, measured, message, samples },
    level: highestLevel(levels),
    masked: [...masked],
    revealed: [...revealed],
  };
}

/** The outcome as anyone may see it (`public`): what errors, logs and events may carry. */
export function publicOutcome<T extends CheckOutcome>(outcome: T, classification: ResultClassification): T {
  return maskOutcome(outcome, classification, 'public').outcome;
}

/**
 * A gate as events may tell it (they are read by more people than the data): a check that could
 * not run gives its error text as a `public` reader sees it (an engine error can quote a value).
 */
export function withPublicErrors(gate: GateOutcome, classification: ResultClassification): GateOutcome {
  const checks = gate.checks.map((c) =>
    c.status === 'error' ? { ...c, message: publicOutcome(c, classification).message } : c,
  );
  return { ...gate, checks };
}

/** A result row keeps its keys (the author's aliases) with every value masked; a scalar is masked. */
function maskValue(value: JsonValue): JsonValue {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? null : MASKED]));
  return MASKED;
}
