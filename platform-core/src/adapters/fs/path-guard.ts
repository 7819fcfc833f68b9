import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { forbidden, invalidArgument } from '../../domain/errors.js';
import { pathSegments, refusedPath, STATE_FOLDER } from '../../domain/paths/confined-path.js';

/**
 * Path confinement, the file-system half (docs/security.md § Path confinement): the one place
 * that turns a connection folder, an input file or a logic file into a real path. It applies the
 * lexical rules of domain/paths/confined-path.ts, then resolves real paths (so links are followed)
 * and refuses anything outside the workspace, inside `.hekima/`, inside a protected location (the
 * lake root, the key folder) or on a hidden entry.
 *
 * Errors are Forbidden (never retried): `path_outside_workspace` or `path_protected`, naming
 * the path as written and never the content of what it points at.
 */
export class PathGuard {
  private readonly root: Promise<string>;
  private readonly protectedReal: Promise<readonly string[]>;

  /** `protectedPaths`: absolute folders or files no path may reach besides `<root>/.hekima`. */
  constructor(workspaceRoot: string, protectedPaths: readonly string[] = []) {
    this.root = realpath(workspaceRoot);
    this.protectedReal = this.root.then((root) =>
      Promise.all([join(root, STATE_FOLDER), ...protectedPaths].map((p) => realpath(p).catch(() => resolve(p)))),
    );
  }

  /** The workspace root's real path. */
  realRoot(): Promise<string> {
    return this.root;
  }

  /** The real folder of a `file` connection: `configPath` relative to the workspace root. */
  async folder(configPath: string | undefined): Promise<string> {
    const written = configPath ?? '.';
    const lexical = pathSegments(written);
    if ('problem' in lexical) throw refusedPath(written, lexical.problem);
    const root = await this.root;
    let real: string;
    try {
      real = await realpath(join(root, ...lexical.segments));
    } catch (e) {
      throw invalidArgument('connection_path_missing', `The folder "${written}" does not exist in the workspace.`, {
        cause: e,
      });
    }
    await this.check(written, real);
    return real;
  }

  /** Refuses a written input path or pattern by its text alone (.., hidden, absolute, encoded…). */
  written(pattern: string): void {
    const lexical = pathSegments(pattern, { backslashEscapes: true });
    if ('problem' in lexical) throw refusedPath(pattern, lexical.problem);
  }

  /**
   * The real path of `name` (a relative path under `folder`, a real folder from `folder()`), or
   * undefined when it does not exist. Refused when its real path leaves `folder` or is protected.
   */
  async file(folder: string, name: string): Promise<string | undefined> {
    const lexical = pathSegments(name, { backslashEscapes: true });
    if ('problem' in lexical) throw refusedPath(name, lexical.problem);
    const real = await realpath(join(folder, ...lexical.segments)).catch(() => undefined);
    if (real === undefined) return undefined;
    if (!inside(folder, real))
      throw forbidden('path_outside_workspace', `"${name}" links outside the connection folder: refused.`, {
        details: { path: name },
      });
    await this.check(name, real);
    return real;
  }

  /** Refuses a real path outside the workspace, on a hidden entry or in a protected location. */
  async check(written: string, real: string): Promise<void> {
    const root = await this.root;
    if (!inside(root, real))
      throw forbidden('path_outside_workspace', `The path "${written}" leaves the workspace root: refused.`, {
        details: { path: written },
      });
    for (const p of await this.protectedReal) if (inside(p, real)) throw protectedPath(written);
    const rel = relative(root, real);
    if (rel !== '' && rel.split(sep).some((s) => s.startsWith('.'))) throw protectedPath(written);
  }
}

function protectedPath(written: string) {
  return forbidden(
    'path_protected',
    `The path "${written}" reaches the platform's own state (.hekima/, the lake, key material) or a hidden entry: refused.`,
    { details: { path: written } },
  );
}

/** True when `path` is `root` or below it. */
export function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
