import {
  linkProblem,
  pathSegments,
  refusedLinksUnder,
  type PathProblem,
  type WorkspaceLinks,
} from '../../../../domain/paths/confined-path.js';
import { defineRule } from '../../rule.js';
import { CONFINEMENT_HINT, fileConnectionFolder, leaves } from '../workspace/file-connection-path.js';
import { connectionOf, connectorInputs } from './connections.js';

const WILDCARD = /[*?[\]{}()!]/;

export const con005InputPathConfined = defineRule({
  code: 'CON-005',
  scope: 'product',
  severity: 'error',
  family: 'connector',
  tier: 'full',
  title: "A file input's path stays in its connection folder, away from the platform's state",
  explain: {
    why: "ingestion_config.path names files under the file connection's folder. A path with .., a hidden entry (.hekima/ holds the catalog, the lake and the connector state; .git, .env and the like are never data), an absolute path, a URL, percent-encoded dots or slashes, or a link leading out of the workspace or into its state would read what the product must never serve: another tenant's rows or key material. Wildcards never match hidden entries either. The run refuses the same paths again on real paths (docs/security.md).",
    bad: '# shop-root is a file connection with path: .\ningestion_config:\n  path: .hekima/secret.key      # or ../other/x.csv, /etc/passwd, %2e%2e/x.csv',
    good: 'ingestion_config:\n  path: orders/*.csv',
  },
  check(ctx) {
    for (const input of connectorInputs(ctx.unit)) {
      const written = input.config['path'];
      if (typeof written !== 'string') continue;
      const connection = connectionOf(ctx.index, input);
      if (connection?.type !== 'file') continue;
      const folder = fileConnectionFolder(connection.config, ctx.index.links);
      if ('problem' in folder) continue; // WSP-005 reports the connection itself
      const problem = inputPathProblem(folder.segments, written, ctx.index.links);
      if (!problem) continue;
      ctx.report(
        { kind: 'Inputs', path: `/inputs/${input.index}/ingestion_config/path` },
        `input '${input.id}' path '${written}' ${problem.reason}${leaves(problem) ? ': it leaves the connection folder' : ''}`,
        { hint: CONFINEMENT_HINT },
      );
    }
  },
});

/** Why an input path (a file or a glob under `folder`) is refused, or undefined. */
function inputPathProblem(folder: readonly string[], written: string, links: WorkspaceLinks): PathProblem | undefined {
  const lexical = pathSegments(written.replace(/^\.\//, ''), { backslashEscapes: true });
  if ('problem' in lexical) return lexical.problem;
  const glob = lexical.segments.findIndex((s) => WILDCARD.test(s));
  const literal = glob === -1 ? lexical.segments : lexical.segments.slice(0, glob);
  const through = linkProblem([...folder, ...literal], links);
  if (through || glob === -1) return through;
  // A glob may match a link below its literal part: refuse when one it could match is refused.
  const first = refusedLinksUnder([...folder, ...literal], links)[0];
  return first
    ? { kind: 'link', reason: first.problem.reason.replace(/^goes through/, 'may match files through') }
    : undefined;
}
