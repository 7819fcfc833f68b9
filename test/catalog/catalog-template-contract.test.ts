import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AesGcmSecretCipher } from '../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import { buildCatalogTemplate } from '../../platform-core/src/adapters/postgres/build-catalog-template.js';
import { PostgresCatalog } from '../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { migrate } from '../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PgliteDatabase } from '../../platform-core/src/adapters/postgres/pglite-database.js';
import { catalogContract } from './contract/catalog-contract.js';
import { TEST_SECRET_KEY, type TestCatalog } from './support/test-databases.js';

/**
 * The whole catalog contract (tenant RLS, forged-insert isolation, repositories, migrations) on an
 * embedded catalog created from the prebuilt template, as `hekima run` creates a new workspace's.
 */
async function openFromTemplate(): Promise<TestCatalog> {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-template-contract-'));
  const templateDir = join(dir, 'templates');
  await buildCatalogTemplate({ dir: templateDir });
  const db = await PgliteDatabase.open({ dataDir: join(dir, 'catalog'), templateDir });
  if (db.origin !== 'template') {
    await db.close();
    throw new Error(`the catalog did not come from the template: ${db.templateMiss ?? db.origin}`);
  }
  const report = await migrate(db);
  if (report.applied.length > 0) throw new Error(`the template was not fully migrated: applied ${report.applied}`);
  return {
    db,
    catalog: new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY)),
    cleanup: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

catalogContract('PGlite from the catalog template', openFromTemplate);
