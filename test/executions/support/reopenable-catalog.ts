import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AesGcmSecretCipher } from '../../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import type { BaseSqlDatabase } from '../../../platform-core/src/adapters/postgres/base-sql-database.js';
import { PostgresCatalog } from '../../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { migrate } from '../../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PgliteDatabase } from '../../../platform-core/src/adapters/postgres/pglite-database.js';
import { PostgresDatabase } from '../../../platform-core/src/adapters/postgres/postgres-database.js';
import { TEST_DATABASE_URL, TEST_SECRET_KEY, testSchemaName } from '../../catalog/support/test-databases.js';

export type Driver = 'pglite' | 'postgres';

/** A catalog that can be closed and opened again on the same data (a process restart). */
export interface ReopenableCatalog {
  db: BaseSqlDatabase;
  catalog: PostgresCatalog;
  /** Closes the database and opens it again (state on disk / on the server survives). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function openReopenable(driver: Driver, label: string): Promise<ReopenableCatalog> {
  const schema = testSchemaName(label);
  const dir = driver === 'pglite' ? await mkdtemp(join(tmpdir(), 'hekima-pglite-')) : '';
  const open = async (): Promise<BaseSqlDatabase> => {
    const db =
      driver === 'pglite'
        ? await PgliteDatabase.open({ dataDir: join(dir, 'catalog') })
        : await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
    await migrate(db);
    return db;
  };
  const db = await open();
  const handle: ReopenableCatalog = {
    db,
    catalog: new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY)),
    async restart() {
      await handle.db.close();
      handle.db = await open();
      handle.catalog = new PostgresCatalog(handle.db, new AesGcmSecretCipher(TEST_SECRET_KEY));
    },
    async cleanup() {
      if (driver === 'postgres')
        await handle.db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await handle.db.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
