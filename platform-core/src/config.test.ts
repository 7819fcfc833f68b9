import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const dirs: string[] = [];
const workspace = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hekima-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('loadConfig', () => {
  it('defaults to embedded mode and generates a 0600 secret key once, outside the workspace', async () => {
    const root = await workspace();
    const state = await workspace();
    const env = { HEKIMA_STATE_DIR: state };
    const first = await loadConfig({ env, workspaceRoot: root });
    expect(first).toMatchObject({
      mode: 'embedded',
      catalog: { kind: 'pglite', dataDir: join(root, '.hekima', 'catalog'), schema: 'hekima' },
      secretKeySource: 'generated',
      stateDir: state,
      lakeRoot: join(root, '.hekima', 'lake'),
    });
    const file = first.secretKeyFile!;
    expect(file.startsWith(join(state, 'keys') + '/')).toBe(true);
    expect(existsSync(join(root, '.hekima', 'secret.key'))).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadConfig({ env, workspaceRoot: root });
    expect(second.secretKeySource).toBe('file');
    expect(second.secretKey?.reveal()).toBe(first.secretKey?.reveal());
    expect(Buffer.from(first.secretKey!.reveal(), 'base64')).toHaveLength(32);
    expect(JSON.stringify(first)).not.toContain((await readFile(file, 'utf8')).trim());
    // A moved workspace keeps its key (the id travels in .hekima/).
    const moved = join(await workspace(), 'moved');
    await rename(root, moved);
    expect((await loadConfig({ env, workspaceRoot: moved })).secretKey?.reveal()).toBe(first.secretKey?.reveal());
  });

  it('moves a key left in .hekima/secret.key by an older version out of the workspace, once', async () => {
    const root = await workspace();
    const state = await workspace();
    const old = 'ef'.repeat(32);
    await mkdir(join(root, '.hekima'));
    await writeFile(join(root, '.hekima', 'secret.key'), `${old}\n`, { mode: 0o600 });
    const first = await loadConfig({ env: { HEKIMA_STATE_DIR: state }, workspaceRoot: root });
    expect(first.secretKeySource).toBe('migrated');
    expect(first.secretKey?.reveal()).toBe(old);
    expect(existsSync(join(root, '.hekima', 'secret.key'))).toBe(false);
    expect((await readFile(first.secretKeyFile!, 'utf8')).trim()).toBe(old);
    const again = await loadConfig({ env: { HEKIMA_STATE_DIR: state }, workspaceRoot: root });
    expect(again).toMatchObject({ secretKeySource: 'file', secretKeyFile: first.secretKeyFile });
    // A different key reappearing in the workspace is not guessed between: both paths are named.
    await writeFile(join(root, '.hekima', 'secret.key'), `${'01'.repeat(32)}\n`);
    await expect(loadConfig({ env: { HEKIMA_STATE_DIR: state }, workspaceRoot: root })).rejects.toMatchObject({
      code: 'secret_key_conflict',
      message: expect.stringContaining(first.secretKeyFile!),
    });
  });

  it('keeps the lake and the state folder where no connection can name them', async () => {
    const root = await workspace();
    const state = await workspace();
    const server = await loadConfig({
      env: { HEKIMA_DATABASE_URL: 'postgres://db/x', HEKIMA_STATE_DIR: state },
      workspaceRoot: root,
    });
    expect(server.lakeRoot).toBe(join(state, 'lake'));
    const lake = await workspace();
    const chosen = await loadConfig({ env: { HEKIMA_STATE_DIR: state, HEKIMA_LAKE: lake }, workspaceRoot: root });
    expect(chosen.lakeRoot).toBe(lake);
    for (const env of [
      { HEKIMA_STATE_DIR: state, HEKIMA_LAKE: join(root, 'lake') },
      { HEKIMA_STATE_DIR: state, HEKIMA_LAKE: 'relative/lake' },
      { HEKIMA_STATE_DIR: join(root, 'state') },
      { HEKIMA_STATE_DIR: root },
    ])
      await expect(loadConfig({ env, workspaceRoot: root })).rejects.toMatchObject({ code: 'invalid_config' });
    // Under a hidden folder of the workspace (as ~/.local/state is for a workspace at ~): out of reach.
    const hidden = await loadConfig({ env: { HEKIMA_STATE_DIR: join(root, '.local', 'state') }, workspaceRoot: root });
    expect(hidden.secretKeyFile?.startsWith(join(root, '.local', 'state'))).toBe(true);
  });

  it('uses server mode with HEKIMA_DATABASE_URL, keeps URLs and keys out of its JSON', async () => {
    const root = await workspace();
    const key = 'ab'.repeat(32);
    const config = await loadConfig({
      env: {
        HEKIMA_DATABASE_URL: 'postgres://app:pw-123@db:5432/hekima',
        HEKIMA_SECRET_KEY: key,
        HEKIMA_DATABASE_SCHEMA: 'tenant_data',
        HEKIMA_KAFKA_BROKERS: 'k1:9092, k2:9092',
        HEKIMA_REDIS_URL: 'redis://:rpw@r:6379',
      },
      workspaceRoot: root,
    });
    expect(config).toMatchObject({
      mode: 'server',
      catalog: { kind: 'postgres', schema: 'tenant_data', poolSize: 10 },
      secretKeySource: 'env',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
    });
    expect(config.catalog.kind === 'postgres' && config.catalog.url.reveal()).toBe(
      'postgres://app:pw-123@db:5432/hekima',
    );
    expect(config.env['HEKIMA_REDIS_URL']).toBe('redis://:rpw@r:6379');
    const json = JSON.stringify(config);
    for (const secret of ['pw-123', key, 'rpw']) expect(json).not.toContain(secret);
    const noKey = await loadConfig({ env: { HEKIMA_DATABASE_URL: 'postgres://db/x' }, workspaceRoot: root });
    expect(noKey.secretKeySource).toBe('none');
    expect(noKey.secretKey).toBeUndefined();
  });

  it('rejects bad settings without echoing secrets', async () => {
    const root = await workspace();
    const bad = await loadConfig({ env: { HEKIMA_SECRET_KEY: 'not-a-32-byte-key' }, workspaceRoot: root }).catch(
      (e: Error) => e,
    );
    expect(bad).toMatchObject({ kind: 'InvalidArgument', code: 'invalid_config' });
    expect((bad as Error).message).not.toContain('not-a-32-byte-key');
    await expect(
      loadConfig({ env: { HEKIMA_DATABASE_SCHEMA: 'Bad-Schema' }, workspaceRoot: root }),
    ).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('reads a YAML file whose values may be env: references; the secret key only as a reference', async () => {
    const root = await workspace();
    const file = join(root, 'hekima-runtime.yaml');
    await writeFile(
      file,
      'database:\n  url: env:MY_DB\n  pool_size: 3\nsecret_key: env:MY_KEY\nkafka:\n  brokers: [b1:9092]\n',
    );
    const config = await loadConfig({
      env: { MY_DB: 'postgres://db/x', MY_KEY: 'cd'.repeat(32) },
      workspaceRoot: root,
      file,
    });
    expect(config).toMatchObject({
      mode: 'server',
      catalog: { poolSize: 3 },
      secretKeySource: 'env',
      kafkaBrokers: ['b1:9092'],
    });
    await expect(loadConfig({ env: {}, workspaceRoot: root, file })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('env:MY_DB'),
    });
    await writeFile(file, `secret_key: ${'cd'.repeat(32)}\n`);
    await expect(loadConfig({ env: {}, workspaceRoot: root, file })).rejects.toMatchObject({ code: 'invalid_config' });
    await writeFile(file, 'unknown: 1\n');
    await expect(loadConfig({ env: {}, workspaceRoot: root, file })).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('reads how long consumed events are remembered (HEKIMA_EVENT_RETENTION or the file), at least an hour', async () => {
    const root = await workspace();
    expect((await loadConfig({ env: {}, workspaceRoot: root })).eventRetentionMs).toBeUndefined();
    const env = await loadConfig({ env: { HEKIMA_EVENT_RETENTION: '36h' }, workspaceRoot: root });
    expect(env.eventRetentionMs).toBe(36 * 3_600_000);
    const file = join(root, 'hekima-runtime.yaml');
    await writeFile(file, 'events:\n  consumed_retention: 14d\n');
    expect((await loadConfig({ env: {}, workspaceRoot: root, file })).eventRetentionMs).toBe(14 * 86_400_000);
    for (const bad of ['30m', '2 weeks', 'forever']) {
      await expect(loadConfig({ env: { HEKIMA_EVENT_RETENTION: bad }, workspaceRoot: root })).rejects.toMatchObject({
        code: 'invalid_config',
        message: expect.stringContaining('HEKIMA_EVENT_RETENTION'),
      });
    }
    await expect(loadConfig({ env: { HEKIMA_EVENT_RETENTION: '2 weeks' }, workspaceRoot: root })).rejects.toMatchObject(
      {
        message: expect.stringContaining('did you mean 14d?'),
      },
    );
  });

  it('reads how long the event log is kept (HEKIMA_EVENT_LOG_RETENTION or the file), at least the consumed retention', async () => {
    const root = await workspace();
    expect((await loadConfig({ env: {}, workspaceRoot: root })).eventLogRetentionMs).toBeUndefined();
    const env = await loadConfig({ env: { HEKIMA_EVENT_LOG_RETENTION: '90d' }, workspaceRoot: root });
    expect(env.eventLogRetentionMs).toBe(90 * 86_400_000);
    const file = join(root, 'hekima-runtime.yaml');
    await writeFile(file, 'events:\n  consumed_retention: 2d\n  log_retention: 2d\n');
    expect((await loadConfig({ env: {}, workspaceRoot: root, file })).eventLogRetentionMs).toBe(2 * 86_400_000);
    // Below the consumed retention (configured, or its 7-day default), or not a duration: refused, naming the setting.
    for (const [bad, consumed] of [
      ['1d', undefined],
      ['10d', '14d'],
      ['forever', undefined],
    ] as const) {
      const envBad = { HEKIMA_EVENT_LOG_RETENTION: bad, ...(consumed ? { HEKIMA_EVENT_RETENTION: consumed } : {}) };
      await expect(loadConfig({ env: envBad, workspaceRoot: root })).rejects.toMatchObject({
        code: 'invalid_config',
        message: expect.stringContaining('HEKIMA_EVENT_LOG_RETENTION (events.log_retention)'),
      });
    }
  });
});
