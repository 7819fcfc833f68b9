import type { SecretValue } from '../../domain/secret-value.js';
import type { Logger } from '../../ports/logger.js';
import { AesGcmSecretCipher } from '../crypto/aes-gcm-secret-cipher.js';
import type { BaseSqlDatabase } from './base-sql-database.js';
import { PostgresCatalog } from './catalog/postgres-catalog.js';
import { migrate } from './migrations/migrator.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

export type CatalogDatabaseOptions =
  | { readonly kind: 'pglite'; readonly dataDir?: string; readonly schema?: string; readonly appRole?: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly appRole?: string;
      readonly poolSize?: number;
    };

export interface OpenCatalogOptions {
  readonly database: CatalogDatabaseOptions;
  readonly secretKey?: SecretValue;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** Opens the database, applies pending migrations and returns the catalog (closing the database on failure). */
export async function openPostgresCatalog(options: OpenCatalogOptions): Promise<PostgresCatalog> {
  const { database } = options;
  const db: BaseSqlDatabase =
    database.kind === 'pglite'
      ? await PgliteDatabase.open(database)
      : await PostgresDatabase.open({ ...database, ...(options.logger ? { logger: options.logger } : {}) });
  try {
    await migrate(db, options.signal ? { signal: options.signal } : {});
    return new PostgresCatalog(db, new AesGcmSecretCipher(options.secretKey));
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
