import { invalidArgument } from '../errors.js';
import type { JsonObject } from '../json.js';

/** A registered data product (its identity; the manifests live in versions). Names are unique per tenant. */
export interface Product {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly domain?: string;
  readonly archetype?: string;
  readonly teamId?: string;
  readonly description?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewProduct {
  readonly name: string;
  readonly domain?: string;
  readonly archetype?: string;
  readonly teamId?: string;
  readonly description?: string;
}

/**
 * One version of a product: the six manifests as JSON (keyed by kind), their hash, and the plan
 * generated from them (set later by the Generate stage). Versions are unique per product.
 */
export interface ProductVersion {
  readonly id: string;
  readonly tenantId: string;
  readonly productId: string;
  readonly version: string;
  readonly manifests: JsonObject;
  /** Lower-case hex SHA-256 of the canonical manifests. */
  readonly manifestHash: string;
  readonly plan?: JsonObject;
  readonly planHash?: string;
  readonly createdAt: string;
}

export interface NewProductVersion {
  readonly productId: string;
  readonly version: string;
  readonly manifests: JsonObject;
  readonly manifestHash: string;
}

const PRODUCT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function assertNewProduct(input: NewProduct): void {
  if (!PRODUCT_NAME.test(input.name)) {
    throw invalidArgument(
      'invalid_product',
      `Product name "${input.name}" is invalid: lowercase letters, digits and hyphens, starting with a letter.`,
      {
        details: { name: input.name },
      },
    );
  }
}

export function assertNewProductVersion(input: NewProductVersion): void {
  if (input.version.trim() === '' || input.version.length > 100) {
    throw invalidArgument('invalid_product_version', 'A version must be 1–100 characters.', {
      details: { version: input.version },
    });
  }
  if (!SHA256_HEX.test(input.manifestHash)) {
    throw invalidArgument('invalid_manifest_hash', 'manifestHash must be a lower-case hex SHA-256 (64 characters).');
  }
}
