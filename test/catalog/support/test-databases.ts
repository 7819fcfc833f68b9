import { randomBytes } from 'node:crypto';
import { AesGcmSecretCipher } from '../../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import type { BaseSqlDatabase } from '../../../platform-core/src/adapters/postgres/base-sql-database.js';
import { PostgresCatalog } from '../../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { migrate } from '../../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PgliteDatabase } from '../../../platform-core/src/adapters/postgres/pglite-database.js';
import { DEFAULT_TEMPLATE_DIR } from '../../../platform-core/src/adapters/postgres/pglite-template.js';
import { PostgresDatabase } from '../../../platform-core/src/adapters/postgres/postgres-database.js';
import { SecretValue } from '../../../platform-core/src/domain/secret-value.js';

/** The shared PostgreSQL server of the test machines (override with HEKIMA_TEST_DATABASE_URL). */
export const TEST_DATABASE_URL = process.env['HEKIMA_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestCatalog {
  readonly db: BaseSqlDatabase;
  readonly catalog: PostgresCatalog;
  /** Drops what the test created (the schema on PostgreSQL) and closes the database. */
  cleanup(): Promise<void>;
}

export const TEST_SECRET_KEY = SecretValue.of(randomBytes(32).toString('base64'));

/** A schema name unique to one test file run: `hekima_t_<label>_<random>`. */
export function testSchemaName(label: string): string {
  return `hekima_t_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
}

export async function openPgliteCatalog(): Promise<TestCatalog> {
  // In memory, from the build's migrated template when there is one (initdb + migrations otherwise).
  const db = await PgliteDatabase.open({ templateDir: DEFAULT_TEMPLATE_DIR });
  await migrate(db);
  return { db, catalog: new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY)), cleanup: () => db.close() };
}

export async function openPostgresCatalog(label: string): Promise<TestCatalog> {
  const schema = testSchemaName(label);
  let db: PostgresDatabase;
  try {
    db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  } catch (e) {
    throw new Error(
      `PostgreSQL is not answering at ${TEST_DATABASE_URL} (set HEKIMA_TEST_DATABASE_URL): ${(e as Error).message}`,
      { cause: e },
    );
  }
  await migrate(db);
  return {
    db,
    catalog: new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY)),
    cleanup: async () => {
      await db.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await db.close();
    },
  };
}
