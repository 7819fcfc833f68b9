import { defineRule } from '../../rule.js';
import { nearest } from '../../../../domain/nearest.js';
import { nameList, productMetadata, str } from '../../product-unit.js';

export const prd002OwnerTeam = defineRule({
  code: 'PRD-002',
  scope: 'product',
  severity: 'error',
  family: 'product',
  tier: 'full',
  title: 'The owner is a team declared in hekima.yaml',
  explain: {
    why: 'metadata.owner must be a registered team: ownership decides who is alerted when a run or a quality gate fails, who approves access grants, and who may deploy. When the workspace hekima.yaml declares `teams`, every owner must be one of them, so a typo cannot leave a product without a reachable owner. Workspaces that declare no teams (or an empty list) are not checked.',
    bad: '# hekima.yaml\nteams: [sales-analytics, crm]\n# product.yaml\nmetadata:\n  owner: sales-analytic',
    good: '# hekima.yaml\nteams: [sales-analytics, crm]\n# product.yaml\nmetadata:\n  owner: sales-analytics',
  },
  check(ctx) {
    const teams = ctx.index.config.teams;
    if (!teams || teams.size === 0) return;
    const owner = str(productMetadata(ctx.unit)?.['owner']);
    if (owner === undefined || owner === '' || teams.has(owner)) return;
    const path = '/metadata/owner';
    const near = nearest(owner, teams);
    const fix = near ? ctx.replaceFix('DataProduct', path, near, `Replace owner with '${near}'`) : undefined;
    ctx.report({ kind: 'DataProduct', path }, `owner '${owner}' is not one of the teams declared in hekima.yaml`, {
      hint: `${near ? `Did you mean '${near}'? ` : ''}Declared teams: ${nameList([...teams].sort(), 12)}. Use one of them, or add the team to \`teams:\` in hekima.yaml.`,
      ...(fix ? { fix } : {}),
    });
  },
});
