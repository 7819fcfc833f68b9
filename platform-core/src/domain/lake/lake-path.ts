import { invalidArgument } from '../errors.js';
import { isUuid } from '../pagination.js';

/** Where one snapshot lives in a lake, before it is joined to a root. */
export interface SnapshotAddress {
  readonly tenantId: string;
  readonly product: string;
  readonly version: string;
  readonly snapshotId: string;
}

/** A product name or version usable as ONE path segment (no separators, no dot-only names). */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export function assertPathSegment(value: string, what: string): void {
  if (!SEGMENT.test(value) || value.includes('..')) {
    throw invalidArgument('invalid_lake_path', `The ${what} "${value}" cannot be used in a lake path.`, {
      details: { [what]: value },
      retryable: false,
    });
  }
}

export function assertUuidSegment(value: string, what: string): void {
  if (!isUuid(value))
    throw invalidArgument('invalid_id', `The ${what} must be a UUID.`, {
      details: { [what]: value },
      retryable: false,
    });
}

/** The tenant's folder, relative to the lake root. */
export function tenantFolder(tenantId: string): string {
  assertUuidSegment(tenantId, 'tenantId');
  return `tenant-${tenantId}`;
}

/** The folder of a product version's snapshots, relative to the lake root. */
export function snapshotsFolder(tenantId: string, product: string, version: string): string {
  assertPathSegment(product, 'product');
  assertPathSegment(version, 'version');
  return `${tenantFolder(tenantId)}/${product}/${version}/snapshots`;
}

/** `tenant-<t>/<product>/<version>/snapshots/<id>/data.parquet`, every segment validated. */
export function snapshotLocation(address: SnapshotAddress): string {
  assertUuidSegment(address.snapshotId, 'snapshotId');
  return `${snapshotsFolder(address.tenantId, address.product, address.version)}/${address.snapshotId}/data.parquet`;
}
