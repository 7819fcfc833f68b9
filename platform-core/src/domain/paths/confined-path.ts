/**
 * Path confinement, the lexical half (docs/security.md § Path confinement): what a connection
 * folder, an input path or a logic file may name, decided from the text alone plus the
 * workspace's symbolic links. The validator reports these problems at the line that names the
 * path; the file-system half (adapters/fs/path-guard.ts) repeats the check on real paths at run
 * time, so a path that slipped past validation (a deployed plan, a link made later) is still
 * refused.
 *
 * A confined path is relative, has no `..`, no hidden (dot) segment — `.hekima/` holds the
 * catalog, the lake and the connector state, and dot folders (.git, .ssh, .env…) are never
 * data — no URL scheme, no `~`, no percent-encoded dot, slash, backslash or percent, and no link
 * that leaves the workspace or lands on a hidden segment.
 */

import { forbidden, type HekimaError } from '../errors.js';

export type PathProblemKind =
  'empty' | 'absolute' | 'url' | 'home' | 'encoded' | 'parent' | 'state' | 'hidden' | 'link';

export interface PathProblem {
  readonly kind: PathProblemKind;
  /** Why, in a sentence fragment naming the offending part ("names the state folder .hekima/"). */
  readonly reason: string;
}

/** Where a symbolic link of the workspace leads: a workspace-relative path, or out of it. */
export type LinkTarget = { readonly inside: string } | { readonly outside: true };

/** Symbolic links of the workspace by their workspace-relative path (`/`-separated). */
export type WorkspaceLinks = ReadonlyMap<string, LinkTarget>;

export const STATE_FOLDER = '.hekima';

const ENCODED = /%(2e|2f|5c|25|00)/i;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * The segments of a relative path (`./` and `.` segments dropped, `\` read as `/` unless
 * `backslashEscapes`), or the first problem with it.
 */
export function pathSegments(
  text: string,
  options: { readonly backslashEscapes?: boolean } = {},
): { readonly segments: readonly string[] } | { readonly problem: PathProblem } {
  if (text.includes('\0')) return problem('encoded', 'contains a NUL character');
  if (ENCODED.test(text)) return problem('encoded', 'contains a percent-encoded dot, slash, backslash or percent');
  const normal = options.backslashEscapes ? text : text.replace(/\\/g, '/');
  if (normal.startsWith('/') || normal.startsWith('\\')) return problem('absolute', 'is an absolute path');
  if (SCHEME.test(normal)) return problem('url', 'is a URL or a drive path, not a path inside the workspace');
  if (normal.startsWith('~')) return problem('home', "starts with '~' (a home folder)");
  const segments = normal.split('/').filter((s) => s !== '' && s !== '.');
  for (const s of segments) {
    if (s === '..') return problem('parent', "goes up with '..'");
    if (s === STATE_FOLDER) return problem('state', `names ${STATE_FOLDER}/, the platform's own state`);
    if (s.startsWith('.')) return problem('hidden', `names the hidden entry '${s}'`);
  }
  return { segments };
}

/**
 * Follows the workspace's links along `segments` (workspace-relative): the problem when a prefix
 * is a link that leaves the workspace or lands on a refused path.
 */
export function linkProblem(segments: readonly string[], links: WorkspaceLinks): PathProblem | undefined {
  if (links.size === 0) return undefined;
  let current = [...segments];
  for (let hops = 0; hops < 40; hops++) {
    let followed = false;
    for (let i = 1; i <= current.length; i++) {
      const prefix = current.slice(0, i).join('/');
      const target = links.get(prefix);
      if (!target) continue;
      if ('outside' in target)
        return { kind: 'link', reason: `goes through the link '${prefix}', which points outside the workspace` };
      const resolved = pathSegments(target.inside);
      if ('problem' in resolved)
        return {
          kind: 'link',
          reason: `goes through the link '${prefix}', whose target ${resolved.problem.reason}`,
        };
      current = [...resolved.segments, ...current.slice(i)];
      followed = true;
      break;
    }
    if (!followed) return undefined;
  }
  return { kind: 'link', reason: 'goes through too many links' };
}

/**
 * The links a glob might match through: every link at or below `folder` (workspace-relative
 * segments) whose target is refused, with the link's path relative to the folder.
 */
export function refusedLinksUnder(
  folder: readonly string[],
  links: WorkspaceLinks,
): { readonly name: string; readonly problem: PathProblem }[] {
  const prefix = folder.length > 0 ? `${folder.join('/')}/` : '';
  const out: { name: string; problem: PathProblem }[] = [];
  for (const path of links.keys()) {
    if (!path.startsWith(prefix)) continue;
    const p = linkProblem(path.split('/'), links);
    if (p) out.push({ name: path.slice(prefix.length), problem: p });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function problem(kind: PathProblemKind, reason: string): { problem: PathProblem } {
  return { problem: { kind, reason } };
}

/** The run-time error for a refused path: Forbidden `path_outside_workspace` or `path_protected`. */
export function refusedPath(written: string, problem: PathProblem): HekimaError {
  const outside = problem.kind === 'absolute' || problem.kind === 'parent' || problem.kind === 'home';
  return outside
    ? forbidden(
        'path_outside_workspace',
        `The path "${written}" leaves the workspace root (it ${problem.reason}): refused.`,
        {
          details: { path: written },
        },
      )
    : forbidden('path_protected', `The path "${written}" ${problem.reason}: refused.`, { details: { path: written } });
}

/** Refuses a workspace-relative logic or check path by its text (Forbidden), else returns it. */
export function confinedText(written: string): string {
  const lexical = pathSegments(written);
  if ('problem' in lexical) throw refusedPath(written, lexical.problem);
  return written;
}
