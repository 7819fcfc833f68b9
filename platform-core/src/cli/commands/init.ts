import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { link, mkdir, mkdtemp, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatColumnType } from '../../domain/column-type.js';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import type { Platform } from '../../composition.js';
import { ValidationSession } from '../../application/validate/validation-session.js';
import { productMetadata, str } from '../../application/validate/product-unit.js';
import {
  checkArchetype,
  checkProductName,
  scaffoldProduct,
  ARCHETYPES,
  type ExistingProduct,
  type ScaffoldFile,
  type ScaffoldResult,
  type WorkspaceView,
} from '../../application/scaffold/scaffold-product.js';
import type { ScaffoldColumn } from '../../application/scaffold/query-plan.js';
import { withExpectedOutput } from '../../application/scaffold/expected-output.js';
import { tenantSlugOf } from '../../application/scaffold/workspace-config-edit.js';
import { EXIT, painter, type CliIO } from '../output.js';
import { findWorkspaceRoot } from '../workspace-location.js';

/** Whether `path` is `folder` or lies below it. */
const within = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

export interface InitOptions {
  readonly archetype?: string;
  readonly dir?: string;
  readonly domain?: string;
  readonly owner?: string;
  readonly input?: readonly string[];
  readonly connection?: string;
  readonly json?: boolean;
}

const toPosix = (p: string) => p.split(sep).join('/');

function refuse(io: CliIO, message: string): number {
  io.stderr.write(`hekima init: ${message}\n`);
  return EXIT.usage;
}

/** The nearest folder at or above `start` (up to `stop`) that is a product folder, or undefined. */
function findProductAncestor(start: string, stop: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'product.yaml'))) return dir;
    if (dir === stop) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function loadView(platform: Platform, root: string): Promise<WorkspaceView> {
  const session = await ValidationSession.open(platform.validationDeps(root), 'fast');
  const index = session.workspaceIndex();
  const products: ExistingProduct[] = [];
  for (const summary of index.summaries) {
    if (summary.name === null) continue;
    const columns: ScaffoldColumn[] = [];
    for (const c of summary.columns.values()) {
      if (!c.type) continue;
      columns.push({
        name: c.name,
        type: formatColumnType(c.type),
        primaryKey: c.primaryKey,
        nullable: c.nullable,
        role: c.role,
      });
    }
    products.push({
      name: summary.name,
      folder: summary.unit.folder,
      domain: summary.domain,
      version: summary.version,
      owner: str(productMetadata(summary.unit)?.['owner']),
      classification: summary.classification,
      columns,
    });
  }
  const configPath = join(root, WORKSPACE_CONFIG_FILE);
  const configText = existsSync(configPath) ? readFileSync(configPath, 'utf8') : undefined;
  return {
    products,
    configText,
    teams: index.config.teams ? [...index.config.teams] : undefined,
    connections: [...index.config.connections.values()].map((c) => ({ name: c.name, type: c.type, config: c.config })),
    exists: (path) => existsSync(join(root, path)),
  };
}

class WriteConflict extends Error {}

/**
 * Writes the product folder atomically: every file goes into a temporary sibling folder that is
 * renamed into place at the end (into an existing empty folder, its entries are moved). Files outside the folder (a sample data file, hekima.yaml) are
 * staged beside their targets and moved in after the folder, hekima.yaml last; any failure
 * removes what was staged or moved, so the workspace is left as it was.
 */
async function writeAtomically(
  root: string,
  target: string,
  created: readonly ScaffoldFile[],
  changed: readonly ScaffoldFile[],
): Promise<void> {
  const folderRel = toPosix(relative(root, target));
  const inFolder = (p: string) => p === folderRel || p.startsWith(`${folderRel}/`);
  const productFiles = created.filter((f) => inFolder(f.path));
  const outside = [
    ...created.filter((f) => !inFolder(f.path)).map((f) => ({ ...f, isNew: true })),
    ...changed.map((f) => ({ ...f, isNew: false })),
  ];

  const parent = dirname(target);
  const madeParent = await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(target)}.hekima-init-`));
  const staged: { tmp: string; abs: string; isNew: boolean }[] = [];
  const madeDirs: string[] = [];
  const moved: string[] = [];
  let folderMoved = false;
  const movedIntoTarget: string[] = [];
  try {
    for (const f of productFiles) {
      const abs = join(tmp, relative(folderRel, f.path));
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, f.content, { flag: 'wx' });
    }
    for (const f of outside) {
      const abs = join(root, f.path);
      const made = await mkdir(dirname(abs), { recursive: true });
      if (made) madeDirs.push(made);
      const staging = `${abs}.hekima-init-${randomBytes(4).toString('hex')}`;
      await writeFile(staging, f.content, { flag: 'wx' });
      staged.push({ tmp: staging, abs, isNew: f.isNew });
    }
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
      throw new WriteConflict(`${target} appeared while the product was being written; nothing was changed`);
    }
    if (existsSync(target)) {
      // An existing empty folder (maybe the current directory of the caller) keeps its identity:
      // the entries move into it one by one, and a failure removes the ones already moved.
      for (const entry of readdirSync(tmp)) {
        await rename(join(tmp, entry), join(target, entry));
        movedIntoTarget.push(join(target, entry));
      }
      await rm(tmp, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
      folderMoved = true;
    }
    // New files first: link() refuses to replace a file that appeared meanwhile.
    for (const s of staged.filter((x) => x.isNew)) {
      try {
        await link(s.tmp, s.abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new WriteConflict(`${s.abs} appeared while the product was being written; nothing was changed`);
        throw e;
      }
      moved.push(s.abs);
      await unlink(s.tmp);
    }
    for (const s of staged.filter((x) => !x.isNew)) await rename(s.tmp, s.abs);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    for (const s of staged) await rm(s.tmp, { force: true });
    for (const m of moved) await rm(m, { force: true });
    if (folderMoved) await rm(target, { recursive: true, force: true });
    for (const m of movedIntoTarget) await rm(m, { recursive: true, force: true });
    for (const d of [...madeDirs, ...(madeParent ? [madeParent] : [])]) await removeEmptyChain(d, root);
    throw error;
  }
}

/** Removes `dir` and its parents up to (not including) `stop` while they are empty. */
async function removeEmptyChain(dir: string, stop: string): Promise<void> {
  let current = dir;
  while (current.startsWith(stop) && current !== stop) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}

function splitInputs(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export async function runInit(platform: Platform, io: CliIO, name: string, options: InitOptions): Promise<number> {
  const nameError = checkProductName(name);
  if (nameError) return refuse(io, nameError);
  const archetype = options.archetype ?? 'aggregate';
  const archetypeCheck = checkArchetype(archetype);
  if (!(ARCHETYPES as readonly string[]).includes(archetypeCheck)) return refuse(io, archetypeCheck);

  const target = resolve(io.cwd, options.dir ?? name);
  const shown = (abs: string) => toPosix(relative(io.cwd, abs)) || '.';
  if (existsSync(target)) {
    if (!statSync(target).isDirectory())
      return refuse(io, `${shown(target)} exists and is a file; choose another --dir`);
    const entries = readdirSync(target);
    if (entries.length > 0) {
      return refuse(
        io,
        `refusing to overwrite: ${shown(target)}/ exists and is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). Choose another name or --dir, or remove the folder first. Nothing was written.`,
      );
    }
  }
  const parent = dirname(target);
  const configRoot = findWorkspaceRoot(parent);
  const root = configRoot ?? parent;
  const enclosing = findProductAncestor(parent, root);
  if (enclosing !== undefined) {
    return refuse(
      io,
      `${shown(target)} would be inside the product folder ${shown(enclosing)}/ (it has a product.yaml); create products side by side, e.g. --dir ${shown(join(dirname(enclosing), name))}`,
    );
  }

  const loaded = existsSync(root)
    ? await loadView(platform, root)
    : { products: [], configText: undefined, teams: undefined, connections: [], exists: () => false };
  // No workspace yet: hekima.yaml goes beside the product folder, tenant = that folder's name, when
  // that folder is the current directory or below it (never into a folder the user did not name).
  const view =
    configRoot === undefined && within(io.cwd, root)
      ? { ...loaded, newConfigTenant: tenantSlugOf(basename(root)) }
      : loaded;
  const outcome = scaffoldProduct(
    {
      name,
      archetype,
      folder: toPosix(relative(root, target)),
      domain: options.domain,
      owner: options.owner,
      inputs: splitInputs(options.input),
      connection: options.connection,
    },
    view,
  );
  if (!outcome.ok) return refuse(io, outcome.error);
  let result: ScaffoldResult;
  try {
    // The engine runs the new logic on its fixtures: that result is the expected output.
    result = await withExpectedOutput(platform, outcome.result);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`hekima init: could not run the new logic on its fixtures: ${message}. Nothing was written.\n`);
    return EXIT.findings;
  }

  try {
    await writeAtomically(root, target, result.created, result.changed);
  } catch (error) {
    if (error instanceof WriteConflict) return refuse(io, error.message);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`hekima init: could not write the product: ${message}. Nothing was left behind.\n`);
    return EXIT.findings;
  }

  const rel = (p: string) => shown(join(root, p));
  if (options.json) {
    io.stdout.write(
      JSON.stringify(
        {
          created: result.created.map((f) => rel(f.path)),
          changed: result.changed.map((f) => rel(f.path)),
          notes: [...result.changed.map((f) => `${rel(f.path)}: ${f.summary}`), ...result.notes],
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout.write(formatHuman(io, result, name, shown(target), rel));
  }
  return EXIT.ok;
}

function formatHuman(io: CliIO, result: ScaffoldResult, name: string, dir: string, rel: (p: string) => string): string {
  const paint = painter(io);
  const lines: string[] = [paint('green', `✔ Created ${result.archetype} product '${name}' in ${dir}/`), ''];
  for (const f of result.created) lines.push(`  ${paint('green', 'created')}  ${rel(f.path)}`);
  for (const f of result.changed)
    lines.push(`  ${paint('yellow', 'changed')}  ${rel(f.path)}  ${paint('gray', `(${f.summary})`)}`);
  if (result.notes.length) {
    lines.push('', paint('bold', 'Notes'));
    for (const n of result.notes) lines.push(`  • ${n}`);
  }
  lines.push(
    '',
    paint('bold', 'Next steps'),
    `  1. hekima validate ${dir}`,
    `  2. edit ${dir}/logic/transform.sql; keep ${dir}/output.yaml and ${dir}/tests/fixtures/expected_output.csv in step with it`,
    `  3. fill in ${dir}/product.yaml: description, contacts, retention`,
    '',
  );
  return lines.join('\n');
}
