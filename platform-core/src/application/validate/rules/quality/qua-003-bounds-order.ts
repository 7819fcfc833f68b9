import { defineRule } from '../../rule.js';
import type { Fix } from '../../../../domain/finding.js';
import { checkList, type ProductUnit } from '../../product-unit.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A comparable form of a bound: numbers as is, ISO dates/timestamps as epoch milliseconds. */
function comparable(value: unknown): { kind: 'number' | 'date'; n: number } | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'number', n: value };
  if (typeof value === 'string' && ISO_DATE_TIME.test(value.trim())) {
    const n = Date.parse(value.trim());
    if (!Number.isNaN(n)) return { kind: 'date', n };
  }
  return undefined;
}

function swapFix(unit: ProductUnit, lowPath: string, highPath: string, low: unknown, high: unknown): Fix | undefined {
  const manifest = unit.manifests.Quality;
  if (!manifest) return undefined;
  const a = manifest.doc.scalarSpan(lowPath);
  const b = manifest.doc.scalarSpan(highPath);
  if (!a || !b || a.block || b.block || a.quoted !== b.quoted) return undefined;
  const textA = manifest.doc.text.slice(a.start, a.end);
  const textB = manifest.doc.text.slice(b.start, b.end);
  if (String(low) === String(high)) return undefined;
  return {
    title: 'Swap the two bounds',
    edits: [
      { file: manifest.file, range: manifest.doc.rangeAt(a.start, a.end), newText: textB },
      { file: manifest.file, range: manifest.doc.rangeAt(b.start, b.end), newText: textA },
    ],
  };
}

export const qua003BoundsOrder = defineRule({
  code: 'QUA-003',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'Lower bounds are not above upper bounds',
  explain: {
    why: 'A volume check with min_rows above max_rows, or a range check with min above max, can never pass: every run fails the gate and, for a blocking check, the product never publishes. It is almost always two swapped values.',
    bad: 'checks:\n  - name: daily_volume\n    type: volume\n    config: {min_rows: 10000, max_rows: 100}\n  - name: discount_rate\n    type: range\n    config: {column: discount, min: 1, max: 0}',
    good: 'checks:\n  - name: daily_volume\n    type: volume\n    config: {min_rows: 100, max_rows: 10000}\n  - name: discount_rate\n    type: range\n    config: {column: discount, min: 0, max: 1}',
  },
  check(ctx) {
    for (const check of checkList(ctx.unit)) {
      if (!check.config) continue;
      const pair =
        check.type === 'volume'
          ? (['min_rows', 'max_rows'] as const)
          : check.type === 'range'
            ? (['min', 'max'] as const)
            : undefined;
      if (!pair) continue;
      const [lowKey, highKey] = pair;
      const low = check.config[lowKey];
      const high = check.config[highKey];
      const a = comparable(low);
      const b = comparable(high);
      if (!a || !b || a.kind !== b.kind || a.n <= b.n) continue;
      if (check.type === 'volume' && (a.kind !== 'number' || !Number.isInteger(low) || !Number.isInteger(high)))
        continue;
      const base = `/checks/${check.index}/config`;
      const fix = swapFix(ctx.unit, `${base}/${lowKey}`, `${base}/${highKey}`, low, high);
      ctx.report(
        { kind: 'Quality', path: `${base}/${lowKey}` },
        `${check.type} check '${check.name ?? check.index + 1}' has ${lowKey} ${String(low)} above ${highKey} ${String(high)}; it can never pass`,
        { hint: `Swap the two values so that ${lowKey} ≤ ${highKey}.`, ...(fix ? { fix } : {}) },
      );
    }
  },
});
