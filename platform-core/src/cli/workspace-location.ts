import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Platform } from '../composition.js';
import { WORKSPACE_CONFIG_FILE } from '../domain/manifest/kinds.js';
import { UsageError, type CliIO } from './output.js';

/**
 * Where a command's workspace is: ONE rule for every command and front-end (docs/adr/0020).
 *
 *   1. `--workspace DIR` (`-w DIR`): DIR, or its nearest parent folder holding hekima.yaml;
 *   2. else the nearest folder upwards from the current directory holding hekima.yaml (as git finds `.git`).
 *
 * Outside any workspace a command that needs one stops with {@link NoWorkspaceError} before it
 * opens or creates anything. `run`, `generate` and `validate` also accept the folder as their
 * positional argument (compatibility); every other positional argument is the command's subject.
 */
export const WORKSPACE_RULE =
  'Workspace: --workspace DIR (-w), else the nearest folder upwards from the current directory ' +
  'holding hekima.yaml (as git finds .git). Outside any workspace the command stops and creates nothing.';

/** The nearest folder at or above `start` holding hekima.yaml, or undefined. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** No workspace where the command looked: a usage error (exit 2) that says how to get one. */
export class NoWorkspaceError extends UsageError {
  constructor(readonly searched: string) {
    super(
      `no workspace: no ${WORKSPACE_CONFIG_FILE} in ${searched} or any folder above it. ` +
        `Run the command inside a workspace, pass --workspace DIR, or create one with \`hekima init <product>\`. ` +
        'Nothing was created.',
    );
  }
}

/**
 * The workspace root by the rule above: `dir` (the `--workspace` option or a compatible positional
 * folder) resolved against the current directory, else the current directory; then the nearest
 * folder upwards holding hekima.yaml. Throws {@link NoWorkspaceError} (or a UsageError when `dir`
 * does not exist or is a file) without touching the file system.
 */
export function locateWorkspace(io: Pick<CliIO, 'cwd'>, dir?: string): string {
  const start = resolve(io.cwd, dir ?? '.');
  if (dir !== undefined) {
    if (!existsSync(start)) throw new UsageError(`--workspace ${dir}: ${shownPath(io, start)} does not exist`);
    if (!statSync(start).isDirectory())
      throw new UsageError(`--workspace ${dir}: ${shownPath(io, start)} is a file; pass the workspace folder`);
  }
  const root = findWorkspaceRoot(start);
  if (root === undefined) throw new NoWorkspaceError(shownPath(io, start));
  return root;
}

/** Like {@link locateWorkspace}, but undefined outside any workspace (commands that can do without one). */
export function findWorkspace(io: Pick<CliIO, 'cwd'>, dir?: string): string | undefined {
  try {
    return locateWorkspace(io, dir);
  } catch (e) {
    if (e instanceof NoWorkspaceError && dir === undefined) return undefined;
    throw e;
  }
}

/** Server mode is configured (HEKIMA_DATABASE_URL): the catalog is a database, not a workspace's `.hekima/`. */
export function serverModeConfigured(env: CliIO['env']): boolean {
  const url = env['HEKIMA_DATABASE_URL'];
  return url !== undefined && url !== '';
}

/**
 * For commands about the whole catalog rather than one workspace (`worker`, `workers`, `tenant`):
 * the workspace by the rule, or undefined in server mode outside any; embedded mode keeps its
 * catalog in a workspace, so outside one it is {@link NoWorkspaceError}.
 */
export function workspaceUnlessServer(io: Pick<CliIO, 'cwd' | 'env'>, dir?: string): string | undefined {
  const root = findWorkspace(io, dir);
  if (root === undefined && !serverModeConfigured(io.env)) throw new NoWorkspaceError(shownPath(io, io.cwd));
  return root;
}

/** What `validate` and `generate` act on: a workspace, a product folder or one manifest file. */
export interface CommandTarget {
  readonly root: string;
  /** Relative to the root: '' (or '.') for the whole workspace. */
  readonly scope: string;
  readonly kind: 'workspace' | 'product' | 'file';
  /** Whether the root holds hekima.yaml. */
  readonly hasConfig: boolean;
}

/**
 * The target of `validate` and `generate`: the positional `path` when given (a workspace, product
 * folder or manifest; kept for compatibility), else the workspace by the rule — scoped to the
 * product folder the current directory is in, as before. Outside any workspace, the current folder
 * as it is (products without hekima.yaml still validate; an empty folder is "nothing to validate").
 */
export function commandTarget(
  platform: Pick<Platform, 'resolveTarget'>,
  io: Pick<CliIO, 'cwd'>,
  path: string | undefined,
  workspace: string | undefined,
): CommandTarget {
  const hasConfig = (root: string) => existsSync(join(root, WORKSPACE_CONFIG_FILE));
  if (path === undefined) {
    const root = findWorkspace(io, workspace);
    if (root !== undefined) {
      const here = workspace === undefined ? platform.resolveTarget('.', io.cwd) : undefined;
      if (here && !('error' in here) && here.root === root) return { ...here, hasConfig: true };
      return { root, scope: '', kind: 'workspace', hasConfig: true };
    }
  }
  const target = platform.resolveTarget(path ?? '.', io.cwd);
  if ('error' in target) throw new UsageError(target.error);
  return { ...target, hasConfig: hasConfig(target.root) };
}

/** `validate`/`generate` on a folder without hekima.yaml or any product: say so (exit 2), never "valid". */
export function nothingToValidate(io: Pick<CliIO, 'cwd'>, root: string, command: string): UsageError {
  return new UsageError(
    `nothing to ${command === 'validate' ? 'validate' : 'generate'}: ${shownPath(io, root)} holds no ${WORKSPACE_CONFIG_FILE} ` +
      'and no product (product.yaml). Create a workspace with `hekima init <product>`, ' +
      'or name a workspace, a product folder or a manifest file.',
  );
}

/** The `-w, --workspace <dir>` option of every command, with the rule's wording. */
export const WORKSPACE_FLAGS = '-w, --workspace <dir>';
export const WORKSPACE_HELP = 'the workspace (default: the nearest folder upwards holding hekima.yaml)';

/** States the rule at the end of `--help` of `cmd` and of every subcommand below it. */
export function stateWorkspaceRule(cmd: Command): void {
  cmd.addHelpText('after', `\n${WORKSPACE_RULE}\n`);
  for (const sub of cmd.commands) stateWorkspaceRule(sub);
}

function shownPath(io: Pick<CliIO, 'cwd'>, abs: string): string {
  const rel = relative(io.cwd, abs).split(sep).join('/');
  if (rel === '') return `${abs} (the current directory)`;
  return rel.startsWith('..') ? abs : rel;
}
