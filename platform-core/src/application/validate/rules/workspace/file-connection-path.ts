import {
  linkProblem,
  pathSegments,
  type PathProblem,
  type WorkspaceLinks,
} from '../../../../domain/paths/confined-path.js';

/** The hint shared by WSP-005 and CON-005: what a file path may name. */
export const CONFINEMENT_HINT =
  'File connections and inputs read data inside the workspace only: a folder such as data/ (relative, without ..). Never the platform state (.hekima/: catalog, lake, connector state), hidden entries (.git, .env…), links out of the workspace or into its state, absolute paths, URLs or percent-encoded dots and slashes (see docs/security.md).';

/**
 * The folder of a `file` connection as workspace-relative segments (`config.path`, default the
 * workspace root), or why it is refused (the lexical rules and the workspace's links).
 */
export function fileConnectionFolder(
  config: Readonly<Record<string, unknown>>,
  links: WorkspaceLinks,
): { readonly segments: readonly string[] } | { readonly problem: PathProblem; readonly written: string } {
  const raw = config['path'];
  const written = typeof raw === 'string' ? raw : '.';
  const lexical = pathSegments(written);
  if ('problem' in lexical) return { problem: lexical.problem, written };
  const link = linkProblem(lexical.segments, links);
  return link ? { problem: link, written } : lexical;
}

/** "leaves the workspace" for paths that point out of it, else the problem's own reason. */
export function leaves(problem: PathProblem): boolean {
  return problem.kind === 'absolute' || problem.kind === 'parent' || problem.kind === 'home' || problem.kind === 'url';
}
