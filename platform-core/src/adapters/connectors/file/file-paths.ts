import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { forbidden, invalidArgument, throwIfAborted } from '../../../domain/errors.js';

/** A source file and its signature (size and modification time): a changed signature = new data. */
export interface SourceFile {
  /** Relative to the connection's folder, with `/`. */
  readonly name: string;
  readonly path: string;
  readonly signature: string;
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The folder of a `file` connection: `config.path` relative to the workspace root. A path that
 * leaves the workspace (`../x`, an absolute path elsewhere, a symbolic link pointing out) is
 * Forbidden `path_outside_workspace`.
 */
export async function connectionFolder(workspaceRoot: string, configPath: string | undefined): Promise<string> {
  const root = await realpath(workspaceRoot);
  const wanted = resolve(root, configPath ?? '.');
  if (!inside(root, wanted)) throw outside(configPath ?? '.');
  let real: string;
  try {
    real = await realpath(wanted);
  } catch (e) {
    throw invalidArgument(
      'connection_path_missing',
      `The folder "${configPath ?? '.'}" does not exist in the workspace.`,
      {
        cause: e,
      },
    );
  }
  if (!inside(root, real)) throw outside(configPath ?? '.');
  return real;
}

function outside(path: string) {
  return forbidden('path_outside_workspace', `The path "${path}" leaves the workspace root: refused.`, {
    details: { path },
  });
}

const GLOB = /[*?[\]{}]/;

/** `*` (one segment), `**` (any depth), `?` (one character); everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The files an input's `path` (a file or a glob) names under the connection's folder, sorted. */
export async function matchFiles(folder: string, pattern: string, signal: AbortSignal): Promise<SourceFile[]> {
  const normal = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  if (isAbsolute(normal) || normal.split('/').includes('..'))
    throw forbidden('path_outside_workspace', `The path "${pattern}" leaves the connection folder: refused.`);
  const names = GLOB.test(normal) ? await walk(folder, '', globToRegExp(normal), signal) : [normal];
  const files: SourceFile[] = [];
  for (const name of names.sort()) {
    const path = join(folder, ...name.split('/'));
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const real = await realpath(path);
    if (!inside(folder, real))
      throw forbidden('path_outside_workspace', `"${name}" links outside the connection folder.`);
    files.push({ name, path: real, signature: `${info.size}:${Math.trunc(info.mtimeMs)}` });
  }
  return files;
}

async function walk(root: string, dir: string, re: RegExp, signal: AbortSignal): Promise<string[]> {
  throwIfAborted(signal, 'listing files');
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, rel, re, signal)));
    else if (re.test(rel)) out.push(rel);
  }
  return out;
}
