import { describe, expect, it } from 'vitest';
import type { SqlExecutor, SqlParam } from '../../../platform-core/src/ports/sql-database.js';
import { rejectionOf, RollBack } from '../../support/outcome.js';
import { TENANT_TABLES, type ContractContext, type SeededTenant } from './contract-context.js';

type Table = (typeof TENANT_TABLES)[number];

/** A valid-looking INSERT of one row into each table for tenant `$1`, referencing `t`'s rows. */
function forgedInsert(table: Table, t: SeededTenant): [string, SqlParam[]] {
  const z = `repeat('0', 64)`;
  const rows: Record<Table, [string, SqlParam[]]> = {
    teams: [`INSERT INTO teams (tenant_id, name) VALUES ($1, 'forged')`, []],
    connections: [
      `INSERT INTO connections (id, tenant_id, name, connector_type) VALUES (gen_random_uuid(), $1, 'forged', 'postgres')`,
      [],
    ],
    products: [`INSERT INTO products (tenant_id, name) VALUES ($1, 'forged')`, []],
    product_versions: [
      `INSERT INTO product_versions (tenant_id, product_id, version, manifests, manifest_hash) VALUES ($1, $2, 'f', '{}', ${z})`,
      [t.productId],
    ],
    deployments: [
      `INSERT INTO deployments (tenant_id, product_id, product_version_id) VALUES ($1, $2, $3)`,
      [t.productId, t.versionId],
    ],
    product_plans: [
      `INSERT INTO product_plans (tenant_id, product_id, plan_hash, plan) VALUES ($1, $2, ${z}, '{}')`,
      [t.productId],
    ],
    executions: [
      `INSERT INTO executions (tenant_id, product_id, product_version_id, trigger, idempotency_key) VALUES ($1, $2, $3, 'manual', 'forged')`,
      [t.productId, t.versionId],
    ],
    execution_transitions: [
      `INSERT INTO execution_transitions (tenant_id, execution_id, to_state) VALUES ($1, $2, 'failed')`,
      [t.executionId],
    ],
    execution_steps: [
      `INSERT INTO execution_steps (tenant_id, execution_id, name, ordinal) VALUES ($1, $2, 'forged', 9)`,
      [t.executionId],
    ],
    snapshots: [`INSERT INTO snapshots (tenant_id, product_id, location) VALUES ($1, $2, 'x')`, [t.productId]],
    quality_results: [
      `INSERT INTO quality_results (tenant_id, product_id, check_name, severity, status) VALUES ($1, $2, 'c', 'error', 'failed')`,
      [t.productId],
    ],
    events: [`INSERT INTO events (tenant_id, event_id, type, payload) VALUES ($1, 'evt-forged', 'X', '{}')`, []],
    consumer_offsets: [
      `INSERT INTO consumer_offsets (tenant_id, consumer_group, topic) VALUES ($1, 'forged', 't')`,
      [],
    ],
    consumed_events: [
      `INSERT INTO consumed_events (tenant_id, consumer_group, event_id) VALUES ($1, 'forged', 'evt-forged')`,
      [],
    ],
    consumer_leases: [
      `INSERT INTO consumer_leases (tenant_id, consumer_group, owner, expires_at) VALUES ($1, 'forged', 'x', now())`,
      [],
    ],
    dlq_entries: [
      `INSERT INTO dlq_entries (tenant_id, stage, event, error, attempts) VALUES ($1, 'execution', '{}', '{}', 1)`,
      [],
    ],
    correlations: [
      `INSERT INTO correlations (tenant_id, product_id, window_id, state, consumer, opened_at) VALUES ($1, $2, 'forged', 'open', '{}', now())`,
      [t.productId],
    ],
    correlation_events: [
      `INSERT INTO correlation_events (tenant_id, product_id, event_id) VALUES ($1, $2, 'forged')`,
      [t.productId],
    ],
    connector_states: [
      `INSERT INTO connector_states (tenant_id, product_id, input_id, state, snapshot_id) VALUES ($1, $2, 'forged', '{}', gen_random_uuid())`,
      [t.productId],
    ],
    pending_projections: [
      `INSERT INTO pending_projections (tenant_id, product_id, endpoint, product_name, version, snapshot_id, committed_at, request) VALUES ($1, $2, 'realtime', 'forged', '1.0.0', gen_random_uuid(), now(), '{}')`,
      [t.productId],
    ],
    audit_log: [
      `INSERT INTO audit_log (tenant_id, seq, event_id, event_type, payload, occurred_at, prev_hash, hash) VALUES ($1, 99, 'evt-forged', 'X', '{}', now(), ${z}, ${z})`,
      [],
    ],
  };
  return [rows[table][0], [t.tenant.id, ...rows[table][1]]];
}

/**
 * Isolation proven in SQL itself: whatever statement tenant A's code sends as the app role, it
 * reads, changes, deletes and creates only A's rows; with no tenant set it sees nothing at all.
 */
export function rawSqlIsolationContract(get: () => ContractContext): void {
  describe('isolation of every raw SQL attempt as the app role', () => {
    const counts = (ctx: ContractContext) =>
      ctx.db.admin.transaction(async (sql) => {
        const out: Record<string, string> = {};
        for (const table of TENANT_TABLES) {
          const { rows } = await sql.query(
            `SELECT tenant_id::text AS t, count(*) AS n FROM ${table} GROUP BY tenant_id ORDER BY 1`,
          );
          out[table] = JSON.stringify(rows);
        }
        return out;
      });
    const countOf = async (sql: SqlExecutor, text: string, params: SqlParam[] = []) =>
      (await sql.query(text, params)).rows[0]?.['n'];

    it("SELECT, UPDATE and DELETE of another tenant's rows touch nothing", async () => {
      const ctx = get();
      const { db, a, b } = ctx;
      const before = await counts(ctx);
      for (const table of TENANT_TABLES) {
        const own = await db.admin.transaction((sql) =>
          countOf(sql, `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [a.tenant.id]),
        );
        await db.withTenant(a.tenant.id, async (sql) => {
          expect(await countOf(sql, `SELECT count(*) AS n FROM ${table}`), table).toBe(own);
          expect(
            await countOf(sql, `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [b.tenant.id]),
            table,
          ).toBe('0');
          expect(
            await countOf(sql, `SELECT count(*) AS n FROM ${table} WHERE tenant_id <> $1`, [a.tenant.id]),
            table,
          ).toBe('0');
        });
        for (const statement of [
          `UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`,
          `DELETE FROM ${table} WHERE tenant_id = $1`,
        ]) {
          const outcome = await db
            .withTenant(a.tenant.id, (sql) => sql.query(statement, [b.tenant.id]))
            .then(
              (r) => r.rowCount,
              (e: { kind?: string }) => e.kind,
            );
          expect([0, 'Forbidden'], `${statement}`).toContain(outcome);
        }
      }
      expect(await counts(ctx)).toEqual(before);
    });

    it("INSERT with a forged tenant_id and moving one's own rows to another tenant both fail", async () => {
      const ctx = get();
      const { db, a, b } = ctx;
      const before = await counts(ctx);
      for (const table of TENANT_TABLES) {
        const [text, params] = forgedInsert(table, b);
        await expect(
          db.withTenant(a.tenant.id, (sql) => sql.query(text, params)),
          table,
        ).rejects.toMatchObject({ kind: 'Forbidden' });
        const move = db.withTenant(a.tenant.id, (sql) =>
          sql.query(`UPDATE ${table} SET tenant_id = $1 WHERE tenant_id = $2`, [b.tenant.id, a.tenant.id]),
        );
        await expect(move, table).rejects.toSatisfy(
          (e: { kind?: string }) => e.kind === 'Forbidden' || e.kind === 'InvalidState',
        );
      }
      expect(await counts(ctx)).toEqual(before);
      // The same statements succeed for the tenant's own id: the failures above are isolation, not typos.
      const [text, params] = forgedInsert('teams', a);
      let inserted: number | null | undefined;
      const rolledBack = await rejectionOf(
        db.withTenant(a.tenant.id, async (sql) => {
          inserted = (await sql.query(text, params)).rowCount;
          throw new RollBack();
        }),
      );
      expect(rolledBack).toBeInstanceOf(RollBack);
      expect(inserted).toBe(1);
      expect(await counts(ctx)).toEqual(before);
    });

    it('with no tenant set (or an empty one) the app role sees and writes nothing: fail closed', async () => {
      const { db, a } = get();
      const asAppRole = <T>(setting: string | null, fn: (sql: SqlExecutor) => Promise<T>) =>
        db.admin.transaction(async (sql) => {
          await sql.exec(`SET LOCAL ROLE "${db.appRole}"`);
          if (setting !== null) await sql.query(`SELECT set_config('app.tenant_id', $1, true)`, [setting]);
          return fn(sql);
        });
      for (const setting of [null, '']) {
        for (const table of [...TENANT_TABLES, 'tenants']) {
          expect(
            await asAppRole(setting, (sql) => countOf(sql, `SELECT count(*) AS n FROM ${table}`)),
            `${table} (${String(setting)})`,
          ).toBe('0');
        }
        for (const table of TENANT_TABLES) {
          const [text, params] = forgedInsert(table, a);
          await expect(
            asAppRole(setting, (sql) => sql.query(text, params)),
            table,
          ).rejects.toMatchObject({ kind: 'Forbidden' });
        }
      }
    });

    it('tenants: a tenant reads only its own row and cannot write any; catalog internals are off limits', async () => {
      const { db, a, b } = get();
      const rows = await db.withTenant(a.tenant.id, async (sql) => (await sql.query('SELECT id FROM tenants')).rows);
      expect(rows).toEqual([{ id: a.tenant.id }]);
      for (const statement of [
        `UPDATE tenants SET display_name = 'x' WHERE id = '${a.tenant.id}'`,
        `UPDATE tenants SET state = 'SUSPENDED' WHERE id = '${b.tenant.id}'`,
        `DELETE FROM tenants WHERE id = '${b.tenant.id}'`,
        `INSERT INTO tenants (slug, display_name) VALUES ('forged-tenant', 'x')`,
        `SELECT * FROM schema_migrations`,
        `TRUNCATE teams`,
      ]) {
        await expect(
          db.withTenant(a.tenant.id, (sql) => sql.query(statement)),
          statement,
        ).rejects.toMatchObject({ kind: 'Forbidden' });
      }
    });
  });
}
