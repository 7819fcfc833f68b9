import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statefulIngest } from '../../platform-core/src/application/ingest/stateful-ingest.js';
import { createPlatform, type Platform } from '../../platform-core/src/composition.js';
import { loadConfig } from '../../platform-core/src/config.js';
import { inputDataFolder } from '../../platform-core/src/domain/ingestion/input-data-location.js';
import { rejectionOf } from '../support/outcome.js';

/**
 * An input that keeps its data across runs (incremental) merges each extract into a new file in
 * the lake; when the fitness checks then refuse the data, that file will never be committed and
 * is removed again, through the Lake port.
 */
describe('stateful ingest: a refused extract leaves nothing in the lake', () => {
  let root: string;
  let platform: Platform;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hekima-stateful-'));
    await mkdir(join(root, 'data'));
    await writeFile(join(root, 'data/pos.csv'), 'tx,amount\nT1,1.5\nT2,2.5\n');
    platform = createPlatform({ config: await loadConfig({ env: {}, workspaceRoot: root }) });
  });
  afterAll(async () => {
    await platform?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('removes the merged file when a fitness check fails', async () => {
    const catalog = await platform.catalog();
    const tenant = await catalog.tenants.create({ slug: 'stateful' });
    await catalog.tenants.transition(tenant.id, 'ACTIVE');
    const product = await catalog.transaction(tenant.id, (tx) => tx.products.register({ name: 'pos' }));
    const address = { tenantId: tenant.id, product: 'pos', version: '1.0.0', inputId: 'raw-pos' };
    const workDir = await platform.scratch.create(root, 'test');
    const failure = await rejectionOf(
      statefulIngest(
        {
          catalog,
          lake: platform.lake(),
          ingest: {
            connectors: platform.connectors(root),
            profiler: platform.extractProfiler,
            merger: platform.extractMerger,
            clock: platform.clock,
            env: {},
          },
        },
        {
          tenantId: tenant.id,
          productId: product.id,
          product: 'pos',
          version: '1.0.0',
          input: {
            id: 'raw-pos',
            ingestion_strategy: 'incremental',
            ingestion_config: { path: 'pos.csv', primary_key: 'tx' },
            fitness: [{ type: 'row_count_min', threshold: 100 }] as never,
          },
          connection: { name: 'shop-files', type: 'file', config: { path: 'data/', format: 'csv' } },
          workDir,
          signal: new AbortController().signal,
        },
      ),
    );
    expect(failure).toMatchObject({ code: 'fitness_failed' });
    expect(await platform.lake().inputs.list(inputDataFolder(address), tenant.id)).toEqual([]);
    await platform.scratch.remove(workDir);
  });
});
