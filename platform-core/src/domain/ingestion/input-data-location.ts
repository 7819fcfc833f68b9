import { invalidArgument } from '../errors.js';
import { assertPathSegment, assertUuidSegment, tenantFolder } from '../lake/lake-path.js';

/**
 * Where a connector input's merged full data set lives in the lake, beside the product's
 * snapshots: `tenant-<t>/<product>/<version>/inputs/<input-id>/<uuid>.parquet`. Every segment is
 * validated, so no stored or forged location leaves its tenant folder.
 */
export interface InputDataAddress {
  readonly tenantId: string;
  readonly product: string;
  readonly version: string;
  readonly inputId: string;
  readonly id: string;
}

/** The folder holding an input's data files, relative to the lake root. */
export function inputDataFolder(address: Omit<InputDataAddress, 'id'>): string {
  assertPathSegment(address.product, 'product');
  assertPathSegment(address.version, 'version');
  assertPathSegment(address.inputId, 'input id');
  return `${tenantFolder(address.tenantId)}/${address.product}/${address.version}/inputs/${address.inputId}`;
}

export function inputDataLocation(address: InputDataAddress): string {
  assertUuidSegment(address.id, 'id');
  return `${inputDataFolder(address)}/${address.id}.parquet`;
}

const LOCATION = /^tenant-([0-9a-f-]{36})\/([^/]+)\/([^/]+)\/inputs\/([^/]+)\/([0-9a-f-]{36})\.parquet$/i;

/**
 * Parses a stored location back into its address, re-validating every segment; `tenantId` must
 * be the reader's tenant (a location naming another tenant is refused, fail closed).
 */
export function parseInputDataLocation(location: string, tenantId: string): InputDataAddress {
  const match = LOCATION.exec(location);
  const [, tenant = '', product = '', version = '', inputId = '', id = ''] = match ?? [];
  if (!match || tenant.toLowerCase() !== tenantId.toLowerCase())
    throw invalidArgument('invalid_lake_path', `"${location}" is not an input data location of this tenant.`, {
      details: { location },
      retryable: false,
    });
  const address = { tenantId, product, version, inputId, id };
  inputDataLocation(address);
  return address;
}
