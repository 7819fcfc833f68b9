import { readFileSync, statSync } from 'node:fs';
import { readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LinkTarget, WorkspaceLinks } from '../../domain/paths/confined-path.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';

/** Folders never part of a workspace. */
export const IGNORED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hekima',
  'dist',
  '.venv',
  '__pycache__',
  '.idea',
  '.vscode',
]);

/** The workspace files on the local disk, below `root`. */
export class NodeWorkspaceFiles implements WorkspaceFiles {
  private found = new Map<string, LinkTarget>();

  constructor(readonly root: string) {}

  links(): WorkspaceLinks {
    return this.found;
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    const links: Promise<void>[] = [];
    const found = new Map<string, LinkTarget>();
    const realRoot = realpath(this.root).catch(() => this.root);
    const walk = async (dir: string): Promise<void> => {
      signal?.throwIfAborted();
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      // A folder below the root with its own hekima.yaml is another workspace: not ours.
      if (dir !== this.root && entries.some((e) => e.isFile() && e.name === WORKSPACE_CONFIG_FILE)) return;
      const subdirs: Promise<void>[] = [];
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!IGNORED_FOLDERS.has(e.name)) subdirs.push(walk(join(dir, e.name)));
        } else if (e.isFile()) {
          out.push(relative(this.root, join(dir, e.name)).split(sep).join('/'));
        } else if (e.isSymbolicLink()) {
          const path = join(dir, e.name);
          links.push(
            linkTarget(path, realRoot).then((t) => void found.set(relative(this.root, path).split(sep).join('/'), t)),
          );
        }
      }
      await Promise.all(subdirs);
    };
    await walk(this.root);
    await Promise.all(links);
    this.found = found;
    return out.sort();
  }

  async size(path: string): Promise<number | undefined> {
    try {
      const stat = statSync(join(this.root, path));
      return stat.isFile() ? stat.size : undefined;
    } catch {
      return undefined;
    }
  }

  async read(path: string): Promise<string | undefined> {
    // Manifests are small: a synchronous read avoids four thread-pool round trips per file,
    // which halves the time to load a workspace of thousands of files.
    try {
      return readFileSync(join(this.root, path), 'utf8');
    } catch {
      return undefined;
    }
  }
}

/** Where a link leads: its real path when it resolves, else its text resolved against its folder. */
async function linkTarget(path: string, realRoot: Promise<string>): Promise<LinkTarget> {
  const target = await realpath(path).catch(async () => resolve(dirname(path), await readlink(path).catch(() => '/')));
  const rel = relative(await realRoot, target);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { outside: true };
  return { inside: rel.split(sep).join('/') };
}
