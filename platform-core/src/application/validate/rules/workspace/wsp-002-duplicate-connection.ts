import { isObject } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { listEntries } from './workspace-file.js';

export const wsp002DuplicateConnection = defineRule({
  code: 'WSP-002',
  scope: 'workspace',
  severity: 'error',
  family: 'workspace',
  tier: 'full',
  title: 'Connection names are unique',
  explain: {
    why: 'Connector inputs find their connection by name. With two connections of the same name, which host, type and credentials an input uses depends on the order of the file; Hekima uses the first and reports the others.',
    bad: 'connections:\n  - name: shop-db\n    type: postgres\n    config: { host: db1 }\n  - name: shop-db\n    type: postgres\n    config: { host: db2 }',
    good: 'connections:\n  - name: shop-db\n    type: postgres\n    config: { host: db1 }\n  - name: shop-db-replica\n    type: postgres\n    config: { host: db2 }',
  },
  check(ctx) {
    const first = new Map<string, number>();
    for (const { index, raw } of listEntries(ctx.index, 'connections')) {
      if (!isObject(raw) || typeof raw['name'] !== 'string') continue;
      const name = raw['name'];
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, index);
        continue;
      }
      ctx.reportWorkspace(
        { path: `/connections/${index}/name` },
        `connection '${name}' is declared twice (connections ${earlier + 1} and ${index + 1})`,
        {
          hint: `Rename this connection (and the connector_ref of the inputs meant to use it) or remove it; inputs naming '${name}' use the first declaration.`,
        },
      );
    }
  },
});
