import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { KIND_OF_FILE, WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';

export interface ResolvedTarget {
  /** Absolute workspace root. */
  readonly root: string;
  /** What the user named, relative to the root: '' for the whole workspace. */
  readonly scope: string;
  readonly kind: 'workspace' | 'product' | 'file';
}

/**
 * Resolves a path given on the command line: a workspace, a product folder, or one manifest
 * file. Products and files are validated in their workspace: the nearest ancestor holding
 * hekima.yaml, else the parent of the product folder.
 */
export function resolveTarget(path: string): ResolvedTarget | { error: string } {
  const abs = resolve(path);
  if (!existsSync(abs)) return { error: `${path} does not exist` };
  const stat = statSync(abs);
  if (stat.isFile()) {
    const name = basename(abs);
    if (!KIND_OF_FILE[name] && name !== WORKSPACE_CONFIG_FILE && !/\.(sql|py)$/.test(name)) {
      return {
        error: `${path} is not a manifest (product.yaml, inputs.yaml, output.yaml, serving.yaml, quality.yaml, compute.yaml, hekima.yaml) or logic file`,
      };
    }
    const folder = dirname(abs);
    const root = findRoot(folder);
    return { root, scope: toRel(root, abs), kind: 'file' };
  }
  if (existsSync(join(abs, WORKSPACE_CONFIG_FILE))) return { root: abs, scope: '', kind: 'workspace' };
  if (existsSync(join(abs, 'product.yaml'))) {
    const root = findRoot(abs);
    return { root, scope: toRel(root, abs), kind: 'product' };
  }
  return { root: abs, scope: '', kind: 'workspace' };
}

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // No hekima.yaml: the folder above the product folder holds its siblings.
  const productDir = existsSync(join(start, 'product.yaml')) ? start : dirname(start);
  return existsSync(join(productDir, 'product.yaml')) ? dirname(productDir) : start;
}

function toRel(root: string, abs: string): string {
  const r = relative(root, abs).split(sep).join('/');
  return r === '' ? '.' : r;
}
