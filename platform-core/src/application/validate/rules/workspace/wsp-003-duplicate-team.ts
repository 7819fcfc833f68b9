import { isObject } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { listEntries } from './workspace-file.js';

export const wsp003DuplicateTeam = defineRule({
  code: 'WSP-003',
  scope: 'workspace',
  severity: 'warning',
  family: 'workspace',
  tier: 'full',
  title: 'Teams are declared once',
  explain: {
    why: 'teams: lists the teams that may own products. A team listed twice is harmless for ownership checks, but when the entries carry different descriptions or members only the first one counts, which is rarely what was meant. Usually it is a merge leftover.',
    bad: 'teams:\n  - sales-analytics\n  - crm\n  - sales-analytics',
    good: 'teams:\n  - sales-analytics\n  - crm',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const { index, raw } of listEntries(ctx.index, 'teams')) {
      const name =
        typeof raw === 'string' ? raw : isObject(raw) && typeof raw['name'] === 'string' ? raw['name'] : undefined;
      if (name === undefined || name === '') continue;
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, index);
        continue;
      }
      ctx.reportWorkspace(
        { path: typeof raw === 'string' ? `/teams/${index}` : `/teams/${index}/name` },
        `team '${name}' is declared twice (teams ${earlier + 1} and ${index + 1})`,
        {
          hint: `Remove this entry${isObject(raw) ? ' (merge its members and description into the first one)' : ''}.`,
        },
      );
    }
  },
});
