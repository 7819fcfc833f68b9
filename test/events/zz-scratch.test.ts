import { it } from 'vitest';
import { openPgliteHarness } from './support/open-harness.js';

it('scratch', async () => {
  const t0 = Date.now();
  const log = (m: string) => process.stderr.write(`${Date.now() - t0}ms ${m}\n`);
  const h = await openPgliteHarness();
  log('opened');
  const bus = await h.newBus();
  log('bus');
  const created = await h.catalog.tenants.create({ slug: 'abc-def' });
  const tenant = await h.catalog.tenants.transition(created.id, 'ACTIVE', 'x');
  log('tenant');
  const seen: string[] = [];
  const sub = await bus.subscribe({ tenantId: tenant.id, group: 'g', topics: 'all', handler: async (e) => { seen.push(e.eventId); } });
  log('subscribed');
  await h.catalog.transaction(tenant.id, (tx) => bus.publish(tx, { eventType: 'DataAvailable', product: 'orders', payload: { product_id: 'orders', snapshot_id: 's', freshness: '2026-11-23T10:00:00Z' } }));
  log('published');
  log('relay ' + await Promise.race([bus.relayOnce(), new Promise((r) => setTimeout(() => r('timeout'), 3000))]));
  log(JSON.stringify((await h.db.admin.transaction((sql) => sql.query('SELECT log_seq, topic, published_at FROM events'))).rows));
  await new Promise((r) => setTimeout(r, 500));
  log('seen ' + seen.length);
  log(JSON.stringify((await h.db.admin.transaction((sql) => sql.query('SELECT * FROM consumer_offsets'))).rows));
  log(JSON.stringify((await h.db.admin.transaction((sql) => sql.query('SELECT * FROM consumer_leases'))).rows));
  await sub.caughtUp();
  log('caught up ' + seen.length);
  await h.cleanup();
  log('cleaned');
}, 30_000);
