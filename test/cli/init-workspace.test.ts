import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hekima } from '../run/e2e-support.js';

/** `hekima init` outside any workspace writes the hekima.yaml the next commands need (built CLI). */

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hekima-init-ws-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('hekima init in a folder without hekima.yaml', () => {
  for (const archetype of ['aggregate', 'source', 'consumer']) {
    it(`writes one whose tenant is the folder's name as a slug (${archetype})`, async () => {
      const folder = join(tmp, `My Shop ${archetype}`);
      await mkdir(folder);
      const init = await hekima(['init', 'demo', '--archetype', archetype], folder, {});
      expect(init.code, init.stderr).toBe(0);
      expect(init.stdout).toContain('created  hekima.yaml');
      expect(init.stdout).toContain(`tenant 'my-shop-${archetype}' (the folder's name`);
      const config = parse(await readFile(join(folder, 'hekima.yaml'), 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({ apiVersion: 'akili/v1', kind: 'Workspace', tenant: `my-shop-${archetype}` });
      const validate = await hekima(['validate', '--json'], join(folder, 'demo'), {});
      expect(validate.code, validate.stdout).toBe(0);
      expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, errors: [] });
    });
  }

  it('never writes hekima.yaml above the current directory (the product in the current folder)', async () => {
    const folder = join(tmp, 'here');
    await mkdir(folder);
    const init = await hekima(['init', 'metrics', '--dir', '.'], folder, {});
    expect(init.code, init.stderr).toBe(0);
    expect(await readdir(tmp)).not.toContain('hekima.yaml');
  });
});
