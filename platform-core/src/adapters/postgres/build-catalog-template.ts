import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_APP_ROLE, DEFAULT_SCHEMA } from './base-sql-database.js';
import { migrate } from './migrations/migrator.js';
import type { Migration } from './migrations/index.js';
import { PgliteDatabase } from './pglite-database.js';
import { DEFAULT_TEMPLATE_DIR, sha256, templateInputs, templateKey, type TemplateManifest } from './pglite-template.js';

export interface BuildTemplateOptions {
  /** Where to write `<key>.tar` + `<key>.json` (default: the package's `dist/catalog-template/`). */
  readonly dir?: string;
  readonly schema?: string;
  readonly appRole?: string;
  readonly migrations?: readonly Migration[];
  /** `none` (default); `gzip` is ~8× smaller and opens no faster. */
  readonly compression?: 'none' | 'gzip';
  /** Rebuild even when a template with this key exists. */
  readonly force?: boolean;
  /** Delete the other `catalog-<schema>-*` templates of the folder (stale builds). */
  readonly prune?: boolean;
}

export interface BuildTemplateResult {
  readonly key: string;
  readonly file: string;
  readonly bytes: number;
  /** False when an up-to-date template was already there. */
  readonly built: boolean;
  readonly pruned: readonly string[];
}

/**
 * Builds the catalog template: a fresh in-memory PGlite database, migrated, checkpointed and
 * dumped. The manifest is written last (and both files through a rename), so a reader never
 * sees a manifest for a partial tarball.
 */
export async function buildCatalogTemplate(options: BuildTemplateOptions = {}): Promise<BuildTemplateResult> {
  const dir = options.dir ?? DEFAULT_TEMPLATE_DIR;
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const appRole = options.appRole ?? DEFAULT_APP_ROLE;
  const compression = options.compression ?? 'none';
  const inputs = templateInputs({ schema, appRole, ...(options.migrations ? { migrations: options.migrations } : {}) });
  const key = templateKey(inputs);
  const file = `${key}.${compression === 'gzip' ? 'tgz' : 'tar'}`;
  await mkdir(dir, { recursive: true });
  const pruned = options.prune ? await prune(dir, schema, key) : [];

  const existing = await readFile(join(dir, `${key}.json`), 'utf8').catch(() => undefined);
  if (!options.force && existing !== undefined) {
    const manifest = JSON.parse(existing) as TemplateManifest;
    if (manifest.compression === compression)
      return { key, file: manifest.file, bytes: manifest.bytes, built: false, pruned };
  }

  const db = await PgliteDatabase.open({ schema, appRole, templateDir: false });
  let archive: Uint8Array;
  try {
    await migrate(db, options.migrations ? { migrations: options.migrations } : {});
    archive = await db.dumpDataDir(compression);
  } finally {
    await db.close();
  }
  const manifest: TemplateManifest = {
    key,
    inputs,
    file,
    bytes: archive.length,
    sha256: sha256(archive),
    compression,
  };
  await rm(join(dir, `${key}.json`), { force: true });
  await writeAtomically(join(dir, file), archive);
  await writeAtomically(join(dir, `${key}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return { key, file, bytes: archive.length, built: true, pruned };
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

async function prune(dir: string, schema: string, keep: string): Promise<string[]> {
  const stale = (await readdir(dir)).filter(
    (name) => name.startsWith(`catalog-${schema}-`) && !name.startsWith(`${keep}.`),
  );
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}
