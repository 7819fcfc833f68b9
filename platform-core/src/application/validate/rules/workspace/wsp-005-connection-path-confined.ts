import { isObject } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { CONFINEMENT_HINT, fileConnectionFolder, leaves } from './file-connection-path.js';
import { listEntries } from './workspace-file.js';

export const wsp005ConnectionPathConfined = defineRule({
  code: 'WSP-005',
  scope: 'workspace',
  severity: 'error',
  family: 'workspace',
  tier: 'full',
  title: "A file connection's path is a data folder inside the workspace",
  explain: {
    why: "A file connection gives every input that names it read access to a folder. The workspace's .hekima/ holds the catalog, every tenant's lake and the connector state; other hidden folders hold repositories and credentials; a path outside the workspace (../, absolute, ~, a URL, a link pointing out) reaches files nobody reviewed. Any of them would let a product serve what it must never see, another tenant's rows or key material included, so they are refused here and again at run time on real paths (docs/security.md).",
    bad: 'connections:\n  - name: lake\n    type: file\n    config:\n      path: .hekima/lake        # or ../../etc/, /var/data, a link to either',
    good: 'connections:\n  - name: shop-files\n    type: file\n    config:\n      path: data/',
  },
  check(ctx) {
    for (const { index, raw } of listEntries(ctx.index, 'connections')) {
      if (!isObject(raw) || raw['type'] !== 'file' || !isObject(raw['config'])) continue;
      const folder = fileConnectionFolder(raw['config'], ctx.index.links);
      if (!('problem' in folder)) continue;
      const name = typeof raw['name'] === 'string' ? raw['name'] : `#${index + 1}`;
      ctx.reportWorkspace(
        { path: `/connections/${index}/config/path` },
        `file connection '${name}' path '${folder.written}' ${folder.problem.reason}${leaves(folder.problem) ? ': it leaves the workspace' : ''}`,
        { hint: CONFINEMENT_HINT },
      );
    }
  },
});
