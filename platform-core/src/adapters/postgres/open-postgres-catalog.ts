import type { SecretValue } from '../../domain/secret-value.js';
import type { Logger } from '../../ports/logger.js';
import { AesGcmSecretCipher } from '../crypto/aes-gcm-secret-cipher.js';
import type { BaseSqlDatabase } from './base-sql-database.js';
import { PostgresCatalog } from './catalog/postgres-catalog.js';
import { migrate } from './migrations/migrator.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { SharedPgliteDatabase } from './shared/shared-pglite-database.js';

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
  // A data folder is shared by every process of the workspace (one hosts it); in memory is private.
  const db: BaseSqlDatabase =
    database.kind === 'postgres'
      ? await PostgresDatabase.open({ ...database, ...(options.logger ? { logger: options.logger } : {}) })
      : database.dataDir !== undefined
        ? await SharedPgliteDatabase.open({ ...database, dataDir: database.dataDir })
        : await PgliteDatabase.open(database);
  try {
    await migrate(db, options.signal ? { signal: options.signal } : {});
    return new PostgresCatalog(db, new AesGcmSecretCipher(options.secretKey));
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
