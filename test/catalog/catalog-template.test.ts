import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogTemplate } from '../../platform-core/src/adapters/postgres/build-catalog-template.js';
import { CATALOG_MIGRATIONS } from '../../platform-core/src/adapters/postgres/migrations/index.js';
import { migrate } from '../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PgliteDatabase } from '../../platform-core/src/adapters/postgres/pglite-database.js';
import {
  restoreTemplate,
  sha256,
  templateInputs,
  templateKey,
  type TemplateManifest,
} from '../../platform-core/src/adapters/postgres/pglite-template.js';
import type { SqlDatabase } from '../../platform-core/src/ports/sql-database.js';

const NAMES = { schema: 'hekima', appRole: 'hekima_app' } as const;

/**
 * Everything a migrated catalog is made of, through information_schema / pg_catalog (the approach
 * of migration-parity.test.ts, plus the role, the migration records, sequences and the database's
 * encoding and collation, which a template could get wrong and a same-driver parity can compare).
 */
async function describeCatalog(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    columns: `SELECT table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default, datetime_precision, is_identity
              FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    constraints: `SELECT cl.relname AS table_name, co.conname, co.contype, pg_get_constraintdef(co.oid) AS def
                  FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                  WHERE n.nspname = $1 ORDER BY 1, 2`,
    indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2`,
    policies: `SELECT tablename, policyname, cmd, roles::text AS roles, qual, with_check FROM pg_policies WHERE schemaname = $1 ORDER BY 1, 2`,
    rls: `SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 ORDER BY 1`,
    triggers: `SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_orientation, action_condition, action_statement
               FROM information_schema.triggers WHERE trigger_schema = $1 ORDER BY 1, 2, 3`,
    functions: `SELECT p.proname, p.prosrc, p.proconfig::text AS config, p.prosecdef FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1`,
    grants: `SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants WHERE table_schema = $1 ORDER BY 1, 2, 3`,
    sequences: `SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences WHERE sequence_schema = $1 ORDER BY 1`,
    roles: `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' ORDER BY 1`,
    schemas: `SELECT nspname, nspacl::text AS acl FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    database: `SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, current_setting('TimeZone') AS tz FROM pg_database WHERE datname = current_database()`,
    extensions: `SELECT extname, extversion FROM pg_extension ORDER BY 1`,
    migrations: `SELECT version, name, checksum FROM schema_migrations ORDER BY version`,
  };
  const out: Record<string, unknown[]> = {};
  await db.admin.transaction(async (sql) => {
    for (const [name, text] of Object.entries(queries)) {
      out[name] = (await sql.query(text, text.includes('$1') ? [db.schema] : [])).rows;
    }
  });
  return out;
}

/** Row counts of every table of the catalog schema. */
async function rowCounts(db: SqlDatabase): Promise<Record<string, number>> {
  return db.admin.transaction(async (sql) => {
    const tables = await sql.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1`,
      [db.schema],
    );
    const counts: Record<string, number> = {};
    for (const { t } of tables.rows) {
      counts[t] = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0]!.n);
    }
    return counts;
  });
}

describe('the embedded catalog template', () => {
  let root: string;
  let templateDir: string;
  let key: string;
  const opened: PgliteDatabase[] = []; // closed after each test: each open PGlite holds ~300 MB
  const open = async (dataDir: string, dir: string | false = templateDir) => {
    const db = await PgliteDatabase.open({ dataDir, templateDir: dir });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-template-'));
    templateDir = join(root, 'templates');
    const built = await buildCatalogTemplate({ dir: templateDir });
    key = built.key;
    expect(built.built).toBe(true);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('creates a catalog identical in schema to initdb + migrations, with every migration recorded', async () => {
    const fromTemplate = await open(join(root, 'ws-a', 'catalog'));
    const fromScratch = await open(join(root, 'ws-slow', 'catalog'), false);
    expect(fromTemplate.origin).toBe('template');
    expect(fromScratch.origin).toBe('initdb');
    expect(fromScratch.templateMiss).toMatch(/disabled/);

    const all = CATALOG_MIGRATIONS.map((m) => m.version);
    expect(await migrate(fromTemplate)).toEqual({ applied: [], version: all.at(-1) });
    expect((await migrate(fromScratch)).applied).toEqual(all);

    const [a, b] = await Promise.all([describeCatalog(fromTemplate), describeCatalog(fromScratch)]);
    expect(a['columns']!.length).toBeGreaterThan(150);
    expect(a['migrations']).toHaveLength(CATALOG_MIGRATIONS.length);
    expect(a['roles']).toContainEqual(expect.objectContaining({ rolname: 'hekima_app', rolbypassrls: false }));
    for (const part of Object.keys(b)) expect(a[part], part).toEqual(b[part]);
  });

  it('holds no rows: two workspaces created from it share nothing', async () => {
    const one = await open(join(root, 'ws-one', 'catalog'));
    const two = await open(join(root, 'ws-two', 'catalog'));
    expect([one.origin, two.origin]).toEqual(['template', 'template']);
    const counts = await rowCounts(one);
    expect(Object.keys(counts).length).toBeGreaterThan(15);
    const { schema_migrations: recorded, ...tables } = counts;
    expect(recorded).toBe(CATALOG_MIGRATIONS.length);
    for (const [table, n] of Object.entries(tables)) expect(n, table).toBe(0);

    await one.admin.transaction((sql) =>
      sql.query(`INSERT INTO tenants (slug, display_name, state) VALUES ('acme', 'Acme', 'ACTIVE')`),
    );
    expect((await rowCounts(one))['tenants']).toBe(1);
    expect((await rowCounts(two))['tenants']).toBe(0);
  });

  it('applies a migration newer than the template on top of it', async () => {
    const db = await open(join(root, 'ws-newer', 'catalog'));
    expect(db.origin).toBe('template');
    const later = { version: 9001, name: 'later', sql: 'CREATE TABLE later_things (id integer PRIMARY KEY);' };
    expect(await migrate(db, { migrations: [...CATALOG_MIGRATIONS, later] })).toEqual({
      applied: [9001],
      version: 9001,
    });
    expect((await rowCounts(db))['later_things']).toBe(0);
  });

  it('reopens an existing catalog as is, keeps the data-dir lock, and leaves no staging folder', async () => {
    const parent = join(root, 'ws-lock');
    const dataDir = join(parent, 'catalog');
    await mkdir(join(parent, 'catalog.template-4194300'), { recursive: true }); // left by a crashed open
    await writeFile(join(parent, 'catalog.template-4194300', 'PG_VERSION'), '17\n');
    const db = await PgliteDatabase.open({ dataDir: `${dataDir}/`, templateDir });
    expect(db.origin).toBe('template');
    await expect(PgliteDatabase.open({ dataDir, templateDir })).rejects.toMatchObject({ code: 'catalog_in_use' });
    expect((await readdir(parent)).sort()).toEqual(['catalog', 'catalog.lock']);
    await db.admin.transaction((sql) =>
      sql.query(`INSERT INTO hekima.tenants (slug, display_name) VALUES ('kept', 'Kept')`),
    );
    await db.close();
    expect(await readdir(parent)).toEqual(['catalog']);

    const again = await open(dataDir);
    expect(again.origin).toBe('existing');
    expect(again.templateMiss).toBeUndefined();
    expect((await rowCounts(again))['tenants']).toBe(1); // reopened, not overwritten by the template
  });

  it('serves an in-memory database only when a template folder is named', async () => {
    const all = CATALOG_MIGRATIONS.map((m) => m.version);
    const fromTemplate = await PgliteDatabase.open({ templateDir });
    opened.push(fromTemplate);
    expect(fromTemplate.origin).toBe('template');
    expect((await migrate(fromTemplate)).applied).toEqual([]);
    const fromDisk = await open(join(root, 'ws-compare', 'catalog'));
    const [a, b] = await Promise.all([describeCatalog(fromTemplate), describeCatalog(fromDisk)]);
    for (const part of Object.keys(b)) expect(a[part], part).toEqual(b[part]);

    const missing = await PgliteDatabase.open({ templateDir: join(root, 'nowhere') });
    opened.push(missing);
    expect(missing.origin).toBe('memory');
    expect(missing.templateMiss).toMatch(/no template/);
    expect((await migrate(missing)).applied).toEqual(all);
  });

  it('is keyed: another schema or another migration set finds no template', async () => {
    const other = templateKey(templateInputs({ ...NAMES, schema: 'other' }));
    const edited = templateKey(
      templateInputs({
        ...NAMES,
        migrations: CATALOG_MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}--` } : m)),
      }),
    );
    expect(new Set([key, other, edited]).size).toBe(3);
    expect(key).toBe(templateKey(templateInputs(NAMES)));

    const dataDir = join(root, 'keyed', 'catalog');
    await mkdir(dataDir, { recursive: true });
    const outcome = await restoreTemplate(dataDir, templateDir, { ...NAMES, schema: 'other' });
    expect(outcome).toMatchObject({ restored: false, reason: expect.stringMatching(/no template catalog-other-/) });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('skips a damaged template (tarball, manifest, or a non-data folder) and leaves the folder empty', async () => {
    const damaged = join(root, 'damaged');
    const check = async (label: string, reason: RegExp) => {
      const dataDir = join(root, `restore-${label}`, 'catalog');
      await mkdir(dataDir, { recursive: true });
      const outcome = await restoreTemplate(dataDir, damaged, NAMES);
      expect(outcome, label).toMatchObject({ restored: false, reason: expect.stringMatching(reason) });
      expect(await readdir(dataDir), label).toEqual([]);
      expect(await readdir(join(root, `restore-${label}`)), label).toEqual(['catalog']);
    };
    const reset = async () => {
      await rm(damaged, { recursive: true, force: true });
      await cp(templateDir, damaged, { recursive: true });
    };
    const manifestPath = join(damaged, `${key}.json`);
    const damagedTar = join(damaged, `${key}.tar`);

    await reset(); // one flipped byte in the middle of the tarball
    const bytes = await readFile(damagedTar);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    await writeFile(damagedTar, bytes);
    await check('flipped', /does not match its manifest/);

    await reset(); // truncated
    await writeFile(damagedTar, (await readFile(damagedTar)).subarray(0, 100_000));
    await check('truncated', /does not match its manifest/);

    await reset();
    await writeFile(manifestPath, '{ not json');
    await check('manifest', /not JSON/);

    await reset(); // a manifest that vouches for a tarball which is not a tar at all
    await writeManifestFor(manifestPath, damagedTar, new TextEncoder().encode('x'.repeat(4096)));
    await check('not-tar', /Not a valid catalog template archive/);

    await rm(damaged, { recursive: true, force: true });
    await check('missing', /no template/);
  });

  it('falls back to initdb when the template is missing, damaged, or does not start', async () => {
    // Damaged: the restore refuses it; the open still succeeds the slow way.
    const damaged = join(root, 'damaged-open');
    await cp(templateDir, damaged, { recursive: true });
    await writeFile(join(damaged, `${key}.tar`), 'garbage');
    const db1 = await open(join(root, 'ws-damaged', 'catalog'), damaged);
    expect(db1.origin).toBe('initdb');
    expect(db1.templateMiss).toMatch(/does not match its manifest/);
    expect((await migrate(db1)).applied).toEqual(CATALOG_MIGRATIONS.map((m) => m.version));

    // Consistent and extractable, but not a database PostgreSQL can start: wiped, then initdb.
    const broken = join(root, 'broken');
    await mkdir(broken);
    await writeManifestFor(join(broken, `${key}.json`), join(broken, `${key}.tar`), ustar({ PG_VERSION: '17\n' }));
    const dataDir = join(root, 'ws-broken', 'catalog');
    const db2 = await open(dataDir, broken);
    expect(db2.origin).toBe('initdb');
    expect(db2.templateMiss).toMatch(/did not start/);
    expect((await migrate(db2)).applied).toEqual(CATALOG_MIGRATIONS.map((m) => m.version));
    expect((await rowCounts(db2))['tenants']).toBe(0);
  });
});

/** Writes a manifest whose size and digest match `data`, written to `tarPath`. */
async function writeManifestFor(manifestPath: string, tarPath: string, data: Uint8Array): Promise<void> {
  await writeFile(tarPath, data);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8').catch(() => '{}')) as Partial<TemplateManifest>;
  const key = manifestPath
    .split('/')
    .pop()!
    .replace(/\.json$/, '');
  await writeFile(
    manifestPath,
    JSON.stringify({
      ...manifest,
      key,
      file: tarPath.split('/').pop(),
      bytes: data.length,
      sha256: sha256(data),
      compression: 'none',
    }),
  );
}

/** A minimal ustar archive of regular files (for a template that extracts but cannot start). */
function ustar(files: Record<string, string>, type = '0'): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = new TextEncoder().encode(content);
    const header = new Uint8Array(512);
    const put = (at: number, text: string) => header.set(new TextEncoder().encode(text), at);
    put(0, name);
    put(100, '0000600\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(148, '        ');
    put(156, type);
    put(257, 'ustar\0');
    put(263, '00');
    const sum = header.reduce((s, b) => s + b, 0);
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}
