import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../../../domain/errors.js';
import type { PathGuard } from '../../fs/path-guard.js';
import { PicomatchPatterns } from '../../glob/picomatch-patterns.js';

/** A source file and its signature (size and modification time): a changed signature = new data. */
export interface SourceFile {
  /** Relative to the connection's folder, with `/`. */
  readonly name: string;
  readonly path: string;
  readonly signature: string;
}

const patterns = new PicomatchPatterns();

/**
 * The files an input's `path` (a file or a glob) names under the connection's folder (a real
 * folder from `guard.folder`), sorted. Every name, matched or written, goes through the guard:
 * a hidden entry, a link out of the folder or into the platform's state is refused (Forbidden).
 * An invalid pattern is InvalidArgument `invalid_path_pattern` (permanent).
 */
export async function matchFiles(
  guard: PathGuard,
  folder: string,
  pattern: string,
  signal: AbortSignal,
): Promise<SourceFile[]> {
  const normal = pattern.replace(/^\.\//, '');
  guard.written(normal);
  const names = patterns.isGlob(normal) ? await walk(folder, '', patterns.matcher(normal), signal) : [normal];
  const files: SourceFile[] = [];
  for (const name of names.sort()) {
    const real = await guard.file(folder, name);
    if (real === undefined) continue;
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) continue;
    files.push({ name, path: real, signature: `${info.size}:${Math.trunc(info.mtimeMs)}` });
  }
  return files;
}

/** Files below `dir` whose relative name matches; hidden entries are skipped, links are not followed into. */
async function walk(root: string, dir: string, test: (name: string) => boolean, signal: AbortSignal) {
  throwIfAborted(signal, 'listing files');
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, rel, test, signal)));
    else if (test(rel)) out.push(rel);
  }
  return out;
}
