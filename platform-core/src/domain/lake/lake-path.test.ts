import { describe, expect, it } from 'vitest';
import { snapshotLocation, snapshotsFolder } from './lake-path.js';

const tenantId = '0b6f2f0e-6a4c-4a43-9d7c-2f9a1c3b5d71';
const snapshotId = '5d7f7c1e-8b7e-4a3f-9a51-6c0f3f0e2a10';

describe('lake paths', () => {
  it('builds the tenant-scoped snapshot location', () => {
    expect(snapshotLocation({ tenantId, product: 'outlet-daily-sales', version: '1.2.0', snapshotId })).toBe(
      `tenant-${tenantId}/outlet-daily-sales/1.2.0/snapshots/${snapshotId}/data.parquet`,
    );
  });

  it('refuses anything that could leave the tenant folder', () => {
    for (const product of ['..', '../x', 'a/b', 'a\\b', '', '.hidden', 'a..b'])
      expect(() => snapshotsFolder(tenantId, product, '1.0.0'), product).toThrow(/cannot be used in a lake path/);
    expect(() => snapshotsFolder('../../etc', 'p', '1.0.0')).toThrow(/UUID/);
    expect(() => snapshotLocation({ tenantId, product: 'p', version: '1', snapshotId: '../x' })).toThrow(/UUID/);
  });
});
