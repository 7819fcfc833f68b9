import { describe, expect, it } from 'vitest';
import { inputDataFolder, inputDataLocation, parseInputDataLocation } from './input-data-location.js';

const T = '0b6f3c1e-8f1a-4c59-9d55-3f1e2a4b5c6d';
const OTHER = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ID = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';

describe('input data locations', () => {
  it('builds and parses a location beside the snapshots', () => {
    const address = { tenantId: T, product: 'pos', version: '2.1.0', inputId: 'raw-pos', id: ID };
    const location = inputDataLocation(address);
    expect(location).toBe(`tenant-${T}/pos/2.1.0/inputs/raw-pos/${ID}.parquet`);
    expect(inputDataFolder(address)).toBe(`tenant-${T}/pos/2.1.0/inputs/raw-pos`);
    expect(parseInputDataLocation(location, T)).toEqual(address);
  });

  it("refuses another tenant's location, traversal and anything not of that exact shape", () => {
    const location = `tenant-${T}/pos/2.1.0/inputs/raw-pos/${ID}.parquet`;
    expect(() => parseInputDataLocation(location, OTHER)).toThrow(/not an input data location of this tenant/);
    for (const bad of [
      `tenant-${T}/../x/2.1.0/inputs/raw-pos/${ID}.parquet`,
      `tenant-${T}/pos/2.1.0/inputs/../${ID}.parquet`,
      `tenant-${T}/pos/2.1.0/snapshots/${ID}/data.parquet`,
      `/etc/passwd`,
    ])
      expect(() => parseInputDataLocation(bad, T), bad).toThrow(expect.objectContaining({ kind: 'InvalidArgument' }));
    expect(() => inputDataLocation({ tenantId: T, product: 'pos', version: '1', inputId: '..', id: ID })).toThrow(
      /cannot be used in a lake path/,
    );
  });
});
