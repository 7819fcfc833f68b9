import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogAddress } from '../../platform-core/src/adapters/postgres/shared/catalog-address.js';
import { CatalogLink } from '../../platform-core/src/adapters/postgres/shared/catalog-link.js';
import { SharedPgliteDatabase } from '../../platform-core/src/adapters/postgres/shared/shared-pglite-database.js';

/**
 * One embedded catalog, two openers (docs/adr/0024): the first hosts PGlite, the second is its
 * guest over the local socket. Here both live in this process (the socket is real); the CLI suite
 * test/run/embedded-shared.test.ts does it with separate processes and a SIGKILL.
 */
describe('SharedPgliteDatabase: a host and a guest on one data folder', () => {
  let dir: string;
  let dataDir: string;
  let host: SharedPgliteDatabase;
  let guest: SharedPgliteDatabase;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-shared-pglite-'));
    dataDir = join(dir, 'catalog');
    host = await SharedPgliteDatabase.open({ dataDir });
    guest = await SharedPgliteDatabase.open({ dataDir });
    await host.admin.transaction((sql) =>
      sql.exec('CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, at timestamptz)'),
    );
  }, 120_000);
  afterAll(async () => {
    await guest?.close();
    await host?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the first opener hosts, the second is its guest', async () => {
    expect(await host.hosting()).toBe(true);
    expect(await guest.hosting()).toBe(false);
    expect(await host.guests()).toBe(1);
  });

  it("a guest's commits are the host's rows, values arrive typed as they left", async () => {
    const at = new Date('2026-12-07T10:11:12.345Z');
    await guest.admin.transaction((sql) => sql.query('INSERT INTO notes VALUES (1, $1::timestamptz)', [at]));
    const { rows } = await host.admin.transaction((sql) => sql.query('SELECT id, at, 9::int8 AS big FROM notes'));
    expect(rows).toEqual([{ id: 1, at, big: '9' }]);
    const back = await guest.admin.transaction((sql) => sql.query('SELECT at FROM notes WHERE id = 1'));
    expect(back.rows[0]?.['at']).toEqual(at);
  });

  it('a guest transaction that throws rolls back; a failing statement comes back as a typed error', async () => {
    await expect(
      guest.admin.transaction(async (sql) => {
        await sql.query('INSERT INTO notes VALUES (2, now())');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(guest.admin.transaction((sql) => sql.query('SELECT 1 / 0'))).rejects.toMatchObject({
      kind: 'InvalidArgument',
      details: { sqlstate: '22012' },
    });
    await expect(
      guest.admin.transaction((sql) => sql.query('INSERT INTO notes VALUES (1, now())')),
    ).rejects.toMatchObject({ kind: 'Conflict', code: 'unique_violation' });
    const { rows } = await host.admin.transaction((sql) => sql.query('SELECT id FROM notes ORDER BY id'));
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('notifications reach every process, whoever sent them', async () => {
    const heard: string[] = [];
    const unlistenGuest = await guest.listen('notes_changed', (p) => heard.push(`guest:${p}`));
    const unlistenHost = await host.listen('notes_changed', (p) => heard.push(`host:${p}`));
    await host.admin.transaction((sql) => sql.query("SELECT pg_notify('notes_changed', 'from-host')"));
    await guest.admin.transaction((sql) => sql.query("SELECT pg_notify('notes_changed', 'from-guest')"));
    for (let i = 0; i < 100 && heard.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard.sort()).toEqual(['guest:from-guest', 'guest:from-host', 'host:from-guest', 'host:from-host']);
    await unlistenGuest();
    await unlistenHost();
  });

  it('refuses a host that cannot prove it holds the catalog key', async () => {
    const address = await catalogAddress(dataDir);
    await expect(CatalogLink.connect({ ...address, secret: randomBytes(32) })).rejects.toMatchObject({
      kind: 'Forbidden',
      code: 'catalog_host_unverified',
    });
  });

  it('when the host closes, the guest takes over with the same data and keeps its subscriptions', async () => {
    const heard: string[] = [];
    await guest.listen('notes_changed', (p) => heard.push(p));
    await host.close();
    const { rows } = await guest.admin.transaction((sql) => sql.query('SELECT id FROM notes'));
    expect(rows).toEqual([{ id: 1 }]);
    expect(await guest.hosting()).toBe(true);
    await guest.admin.transaction((sql) => sql.query("SELECT pg_notify('notes_changed', 'after')"));
    for (let i = 0; i < 100 && heard.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(['after']);
  });
});
