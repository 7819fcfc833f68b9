import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG_MIGRATIONS, type Migration } from './migrations/index.js';
import { bootstrapScript, checksumOf } from './migrations/migrator.js';
import { quoteIdentifier } from './sql-identifiers.js';
import { extractTar } from './tar-archive.js';

/**
 * A catalog template: a PGlite data folder already initialised (initdb) and migrated, dumped as a
 * tarball at build time (`scripts/build-catalog-template.mjs`). A new embedded catalog is then a
 * file extraction instead of seconds of initdb in WASM. The file name is a key over everything
 * the contents depend on, so a template is only ever used by the build that matches it.
 *
 * Nothing in it is per-workspace: the migrations create tables, functions, policies and the app
 * role, but no rows, ids or secrets (the embedded secret key lives in `.hekima/secret.key`).
 */
export const TEMPLATE_FORMAT = 1;

/** `<package>/dist/catalog-template/`, from both `src/adapters/postgres` and `dist/adapters/postgres`. */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../../dist/catalog-template/', import.meta.url));

export interface TemplateNames {
  readonly schema: string;
  readonly appRole: string;
  readonly migrations?: readonly Migration[];
}

/** What a template's contents depend on; its sha256 is the key. */
export interface TemplateInputs {
  readonly format: number;
  readonly pglite: string;
  readonly schema: string;
  readonly appRole: string;
  readonly bootstrap: string;
  readonly migrations: readonly { readonly version: number; readonly name: string; readonly checksum: string }[];
}

/** Written beside the tarball as `<key>.json`. */
export interface TemplateManifest {
  readonly key: string;
  readonly inputs: TemplateInputs;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly compression: 'none' | 'gzip';
}

export type TemplateOutcome =
  | { readonly restored: true; readonly key: string; readonly entries: number }
  | { readonly restored: false; readonly key: string; readonly reason: string };

export function templateInputs(names: TemplateNames): TemplateInputs {
  const schema = quoteIdentifier(names.schema, 'schema name');
  const role = quoteIdentifier(names.appRole, 'role name');
  return {
    format: TEMPLATE_FORMAT,
    pglite: pgliteVersion(),
    schema: names.schema,
    appRole: names.appRole,
    bootstrap: sha256(bootstrapScript(schema, role, names.appRole)),
    migrations: [...(names.migrations ?? CATALOG_MIGRATIONS)]
      .sort((a, b) => a.version - b.version)
      .map((m) => ({ version: m.version, name: m.name, checksum: checksumOf(m) })),
  };
}

/** `catalog-<schema>-<first 24 hex of sha256(inputs)>`: readable, and unique per input set. */
export function templateKey(inputs: TemplateInputs): string {
  return `catalog-${inputs.schema}-${sha256(JSON.stringify(inputs)).slice(0, 24)}`;
}

/**
 * Fills the EMPTY folder `dataDir` from the matching template in `templateDir`. Never throws for a
 * template problem: a missing, stale or damaged template returns `restored: false` with the
 * reason, and the folder is left empty for the slow path. The caller holds the data-dir lock.
 * The files are extracted beside the folder and moved in with one rename, so a crash midway
 * never leaves a half-filled catalog.
 */
export async function restoreTemplate(
  folder: string,
  templateDir: string,
  names: TemplateNames,
): Promise<TemplateOutcome> {
  const dataDir = resolve(folder);
  const template = await readTemplate(templateDir, names);
  if (!template.found) return { restored: false, key: template.key, reason: template.reason };
  const staging = `${dataDir}.template-${process.pid}`;
  try {
    await removeStaging(dataDir);
    const entries = await extractTar(template.archive, staging);
    if (!(await readdir(staging)).includes('PG_VERSION')) {
      throw new Error(`${template.file} holds no PostgreSQL data folder (no PG_VERSION)`);
    }
    await rmdir(dataDir); // fails unless still empty: never replaces a catalog
    await rename(staging, dataDir);
    return { restored: true, key: template.key, entries };
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    return { restored: false, key: template.key, reason: (e as Error).message };
  }
}

export type TemplateRead =
  | { readonly found: true; readonly key: string; readonly file: string; readonly archive: Uint8Array }
  | { readonly found: false; readonly key: string; readonly reason: string };

/** The matching template's tarball, checked against its manifest (size and sha256); never throws. */
export async function readTemplate(templateDir: string, names: TemplateNames): Promise<TemplateRead> {
  let key = '?';
  try {
    key = templateKey(templateInputs(names));
    const manifest = await readManifest(templateDir, key);
    if (typeof manifest === 'string') return { found: false, key, reason: manifest };
    const archive = await readFile(join(templateDir, manifest.file));
    if (archive.length !== manifest.bytes || sha256(archive) !== manifest.sha256) {
      return { found: false, key, reason: `${manifest.file} does not match its manifest (damaged)` };
    }
    return { found: true, key, file: manifest.file, archive };
  } catch (e) {
    return { found: false, key, reason: (e as Error).message };
  }
}

/** Staging folders of this data folder left by a crashed open (safe: the caller holds the lock). */
async function removeStaging(dataDir: string): Promise<void> {
  const prefix = `${basename(dataDir)}.template-`;
  for (const name of await readdir(dirname(dataDir))) {
    if (name.startsWith(prefix)) await rm(join(dirname(dataDir), name), { recursive: true, force: true });
  }
}

async function readManifest(templateDir: string, key: string): Promise<TemplateManifest | string> {
  let text: string;
  try {
    text = await readFile(join(templateDir, `${key}.json`), 'utf8');
  } catch {
    return `no template ${key} in ${templateDir} (build it with platform-core/scripts/build-catalog-template.mjs)`;
  }
  let manifest: Partial<TemplateManifest>;
  try {
    manifest = JSON.parse(text) as Partial<TemplateManifest>;
  } catch {
    return `${key}.json is not JSON (damaged)`;
  }
  if (
    manifest.key !== key ||
    typeof manifest.file !== 'string' ||
    manifest.file !== manifest.file.replace(/[\\/]/g, '') ||
    typeof manifest.bytes !== 'number' ||
    typeof manifest.sha256 !== 'string'
  ) {
    return `${key}.json is not a template manifest for this build (damaged or stale)`;
  }
  return manifest as TemplateManifest;
}

let cachedVersion: string | undefined;

/** The installed PGlite's version: a template from another PGlite (another PostgreSQL build) is never used. */
export function pgliteVersion(): string {
  if (cachedVersion === undefined) {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: unknown };
    cachedVersion = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return cachedVersion;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
