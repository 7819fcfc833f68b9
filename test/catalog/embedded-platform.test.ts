import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlatform, loadConfig, SecretValue } from '@hekima/platform-core';

/** Embedded mode end to end: config → createPlatform → a PGlite catalog in <workspace>/.hekima that survives a restart. */
describe('embedded catalog through createPlatform', () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('needs a configuration', async () => {
    await expect(createPlatform().catalog()).rejects.toMatchObject({ kind: 'InvalidState', code: 'config_missing' });
  });

  it('opens, migrates, persists under .hekima/catalog and reopens with its data', async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-embedded-'));
    const config = await loadConfig({ env: {}, workspaceRoot: root });
    const first = createPlatform({ config });
    const catalog = await first.catalog();
    expect(await first.catalog()).toBe(catalog);
    // A second opener (another process, here a second platform) shares the catalog: it becomes a
    // guest of the first (docs/adr/0024) and sees what the first writes.
    const guest = createPlatform({ config });
    const tenant = await catalog.tenants.create({ slug: 'local' });
    await catalog.tenants.transition(tenant.id, 'ACTIVE');
    expect((await (await guest.catalog()).tenants.getBySlug('local'))?.state).toBe('ACTIVE');
    await guest.close();
    const connection = await catalog
      .forTenant(tenant.id)
      .connections.create({ name: 'pg', connectorType: 'postgres', secrets: { password: SecretValue.of('local-pw') } });
    await first.close();
    expect((await stat(join(root, '.hekima', 'catalog'))).isDirectory()).toBe(true);

    const second = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: root }) });
    const reopened = await second.catalog();
    expect((await reopened.tenants.getBySlug('local'))?.state).toBe('ACTIVE');
    const secrets = await reopened.forTenant(tenant.id).connections.resolveSecrets(connection.id, {});
    expect(secrets['password']?.reveal()).toBe('local-pw');
    await second.close();
  });
});
