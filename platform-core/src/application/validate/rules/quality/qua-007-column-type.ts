import { defineRule } from '../../rule.js';
import { formatColumnType, isNumericType, type ColumnType } from '../../../../domain/column-type.js';
import { checkList, outputColumnMap, str } from '../../product-unit.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const isTemporal = (t: ColumnType) => t.kind === 'date' || t.kind === 'timestamp';

/** What each check type needs of its column. */
const NEEDS: Record<string, { ok: (t: ColumnType) => boolean; what: string }> = {
  range: { ok: (t) => isNumericType(t) || isTemporal(t), what: 'a numeric, date or timestamp column' },
  regex: { ok: (t) => t.kind === 'string', what: 'a string column' },
  freshness: { ok: isTemporal, what: 'a date or timestamp column' },
};

export const qua007ColumnType = defineRule({
  code: 'QUA-007',
  scope: 'product',
  severity: 'error',
  family: 'quality',
  tier: 'full',
  title: 'Checks fit the type of their column',
  explain: {
    why: 'Declarative checks compile to typed SQL: range compares values with min and max, so it needs a numeric, date or timestamp column and bounds of the same kind (numbers for numbers, ISO dates for dates); regex matches text, so it needs a string column; freshness compares the newest value with now, so it needs a date or timestamp. On another type the generated query fails, or compares text lexically ("10" < "9"), and the gate is meaningless.',
    bad: '# country: string, amount: decimal(12,2), loaded: string\nchecks:\n  - {name: amount_range, type: range, config: {column: country, min: 0, max: 100}}\n  - {name: amount_format, type: regex, config: {column: amount, pattern: "^[0-9]+$"}}\n  - {name: fresh, type: freshness, config: {column: loaded, max_age: 1d}}',
    good: 'checks:\n  - {name: amount_range, type: range, config: {column: amount, min: 0, max: 100}}\n  - {name: country_code, type: regex, config: {column: country, pattern: "^[A-Z]{2}$"}}\n  - {name: fresh, type: freshness, config: {column: ordered_at, max_age: 1d}}',
  },
  check(ctx) {
    const columns = outputColumnMap(ctx.unit);
    for (const check of checkList(ctx.unit)) {
      const need = check.type === undefined ? undefined : NEEDS[check.type];
      if (!need || !check.config) continue;
      const name = str(check.config['column']);
      const column = name === undefined ? undefined : columns.get(name);
      if (!column?.type) continue; // unknown column: QUA-002; unparsable type: SCH-005
      const base = `/checks/${check.index}/config`;
      const label = check.name ?? String(check.index + 1);
      const type = formatColumnType(column.type);
      if (!need.ok(column.type)) {
        ctx.report(
          { kind: 'Quality', path: `${base}/column` },
          `${check.type} check '${label}' is on column '${column.name}' of type '${type}'; it needs ${need.what}`,
          {
            hint: `Point the check at ${need.what}, or use another check type (e.g. accepted_values for codes, completeness for presence).`,
          },
        );
        continue;
      }
      if (check.type !== 'range') continue;
      const numeric = isNumericType(column.type);
      for (const key of ['min', 'max'] as const) {
        const bound = check.config[key];
        if (bound === undefined) continue;
        const fits = numeric
          ? typeof bound === 'number' ||
            (typeof bound === 'string' && bound.trim() !== '' && Number.isFinite(Number(bound)))
          : typeof bound === 'string' && ISO_DATE_TIME.test(bound.trim());
        if (fits) continue;
        ctx.report(
          { kind: 'Quality', path: `${base}/${key}` },
          `range check '${label}' has ${key} ${typeof bound === 'string' ? `'${bound}'` : String(bound)}, which is not ${numeric ? 'a number' : 'an ISO date or timestamp'} like column '${column.name}' (${type})`,
          {
            hint: numeric
              ? `Write ${key} as a number, e.g. \`${key}: 0\`.`
              : `Write ${key} as a quoted ISO date, e.g. \`${key}: "2020-01-01"\`.`,
          },
        );
      }
    }
  },
});
