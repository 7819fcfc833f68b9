import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmSecretCipher } from '../../platform-core/src/adapters/crypto/aes-gcm-secret-cipher.js';
import { PostgresCatalog } from '../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import { CATALOG_MIGRATIONS } from '../../platform-core/src/adapters/postgres/migrations/index.js';
import { migrate } from '../../platform-core/src/adapters/postgres/migrations/migrator.js';
import { PostgresDatabase } from '../../platform-core/src/adapters/postgres/postgres-database.js';
import { appendAuditRecord } from '../../platform-core/src/application/audit/append-audit-entry.js';
import { verifyAudit } from '../../platform-core/src/application/audit/audit-queries.js';
import { activeTenant } from './contract/contract-context.js';
import { TEST_DATABASE_URL, TEST_SECRET_KEY, testSchemaName } from './support/test-databases.js';

/**
 * A catalog whose trail predates the signed head (migration 013): the migration signs each
 * tenant's newest entry, so truncation of the rows written before the upgrade is caught too.
 */
describe('audit head: upgrading a catalog with an existing trail (PostgreSQL)', () => {
  const schema = testSchemaName('audit_head_upgrade');
  let db: PostgresDatabase;
  let catalog: PostgresCatalog;
  beforeAll(async () => {
    db = await PostgresDatabase.open({ url: TEST_DATABASE_URL, schema, poolSize: 2 });
    await migrate(db, { migrations: CATALOG_MIGRATIONS.filter((m) => m.version < 13) });
    catalog = new PostgresCatalog(db, new AesGcmSecretCipher(TEST_SECRET_KEY));
  });
  afterAll(async () => {
    await db?.admin.transaction((sql) => sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await db?.close();
  });

  it('signs the existing head, then detects the newest rows deleted', async () => {
    const tenant = await activeTenant({ db, catalog, cleanup: async () => undefined }, 'upgraded');
    for (let i = 1; i <= 3; i++)
      await appendAuditRecord(catalog, tenant.id, {
        eventId: `evt-${i}`,
        eventType: 'DataAccessed',
        correlationId: randomUUID(),
        occurredAt: new Date().toISOString(),
        payload: { n: i },
      });
    expect((await migrate(db)).applied).toEqual(
      CATALOG_MIGRATIONS.filter((m) => m.version >= 13).map((m) => m.version),
    );
    const verify = () => verifyAudit(catalog, tenant.id, { auditGroup: `${tenant.slug}.audit` });
    expect(await verify()).toMatchObject({ ok: true, checked: 3 });
    await db.admin.transaction(async (sql) => {
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await sql.query('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 3', [tenant.id]);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    expect(await verify()).toMatchObject({ ok: false, break: { seq: 3, reason: 'missing_rows' } });
  });
});
