import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { permanent } from '../../platform-core/src/domain/errors.js';
import type { SqlDatabase } from '../../platform-core/src/ports/sql-database.js';
import { hekima } from './run-cli.js';

/** `hekima dlq` and `hekima audit` on an embedded workspace: PGlite under <workspace>/.hekima, tenant from hekima.yaml. */
describe('hekima dlq / audit (embedded workspace)', () => {
  let root: string;
  const json = async (argv: string[], expectCode = 0) => {
    const run = await hekima(argv, tmpdir());
    expect(run.code, run.stderr + run.stdout).toBe(expectCode);
    return JSON.parse(run.stdout) as Record<string, unknown> & { items: Record<string, unknown>[] };
  };
  /** Works on the workspace's state directly (the CLI is not running: the data folder is free). */
  const withPlatform = async <T>(fn: (p: ReturnType<typeof createPlatform>) => Promise<T>): Promise<T> => {
    const platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: root }) });
    try {
      return await fn(platform);
    } finally {
      await platform.close();
    }
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-events-cli-'));
    await writeFile(join(root, 'hekima.yaml'), 'tenant: acme-co\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('provisions the workspace tenant on first use, in .hekima/', async () => {
    const page = await json(['audit', '--workspace', root, '--json']);
    expect(page.items).toEqual([]);
    expect(existsSync(join(root, '.hekima', 'catalog'))).toBe(true);
  });

  it('lists, shows, replays, acknowledges and purges DLQ entries', async () => {
    await withPlatform(async (platform) => {
      const catalog = await platform.catalog();
      const bus = await platform.events();
      const tenant = (await catalog.tenants.getBySlug('acme-co'))!;
      await catalog.transaction(tenant.id, (tx) =>
        bus.publish(tx, {
          eventType: 'DataAvailable',
          product: 'orders',
          payload: { product_id: 'orders', snapshot_id: 'snap-1', freshness: '2026-11-23T10:00:00Z' },
        }),
      );
      const sub = await bus.subscribe({
        tenantId: tenant.id,
        group: 'acme-co.orders-sink.sensor',
        topics: ['acme-co.orders.data.available'],
        dlqStage: 'correlation',
        handler: async () => {
          throw permanent('schema_mismatch', 'the input changed shape');
        },
      });
      await sub.caughtUp();
      await sub.close();
    });
    const list = await json(['dlq', 'list', '--workspace', root, '--json']);
    expect(list.items).toHaveLength(1);
    const entry = list.items[0]!;
    expect(entry).toMatchObject({
      stage: 'correlation',
      status: 'pending',
      attempts: 1,
      error: { code: 'schema_mismatch' },
    });
    const id = String(entry['id']);
    const text = await hekima(['dlq', 'list', '--workspace', root], tmpdir());
    expect(text.stdout).toContain(`${id}  correlation`);
    expect(await json(['dlq', 'show', id, '--workspace', root, '--json'])).toMatchObject({
      id,
      event: { payload: { snapshot_id: 'snap-1' } },
    });
    expect(await json(['dlq', 'replay', id, '--workspace', root, '--json'])).toMatchObject([
      { entry: { status: 'replayed' }, target: { group: 'acme-co.orders-sink.sensor' } },
    ]);
    const refused = await json(['dlq', 'ack', id, '--workspace', root, '--json'], 1);
    expect(refused).toMatchObject({ error: { code: 'invalid_dlq_transition' } });
    expect(await json(['dlq', 'purge', '--status', 'replayed', '--workspace', root, '--json'])).toEqual({
      purged: [id],
    });
    expect((await json(['dlq', 'list', '--all', '--workspace', root, '--json'])).items[0]).toMatchObject({
      status: 'purged',
    });
    const usage = await hekima(['dlq', 'purge', '--workspace', root], tmpdir());
    expect(usage.code).toBe(2);
  });

  it('records pending events, filters the trail, verifies it, and names the seq a tampered row breaks', async () => {
    // The replay above went to the failed group only: the trail holds the event and its DLQ announcement.
    const all = await json(['audit', '--workspace', root, '--json']);
    expect(all.items.map((e) => e['eventType'])).toEqual(['EventDeadLettered', 'DataAvailable']);
    expect((await json(['audit', '--workspace', root, '--type', 'DataAvailable', '--json'])).items).toHaveLength(1);
    expect((await json(['audit', '--workspace', root, '--since', '2999-01-01', '--json'])).items).toHaveLength(0);
    expect(await json(['audit', 'verify', '--workspace', root, '--json'])).toMatchObject({ ok: true, checked: 2 });
    expect((await hekima(['audit', 'verify', '--workspace', root], tmpdir())).stdout).toContain(
      'audit trail intact: 2 entries',
    );

    await withPlatform(async (platform) => {
      const { db } = (await platform.catalog()) as unknown as { db: SqlDatabase };
      await db.admin.transaction(async (sql) => {
        await sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await sql.query(`UPDATE audit_log SET payload = '{"snapshot_id": "forged"}' WHERE seq = 1`);
        await sql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      });
    });
    const broken = await hekima(['audit', 'verify', '--workspace', root], tmpdir());
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit trail BROKEN at seq 1');
    expect(await json(['audit', 'verify', '--workspace', root, '--json'], 1)).toMatchObject({
      ok: false,
      break: { seq: 1, reason: 'hash_mismatch' },
    });
  });
});
