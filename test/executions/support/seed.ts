import { createHash } from 'node:crypto';
import type { PostgresCatalog } from '../../../platform-core/src/adapters/postgres/catalog/postgres-catalog.js';
import type { JsonObject } from '../../../platform-core/src/domain/json.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface SeededProduct {
  readonly productId: string;
  readonly versionId: string;
  readonly deploymentId: string;
  readonly name: string;
}

export async function activeTenant(catalog: PostgresCatalog, slug: string): Promise<string> {
  const created = await catalog.tenants.create({ slug, displayName: slug });
  return (await catalog.tenants.transition(created.id, 'ACTIVE', 'test')).id;
}

/** Registers, versions and deploys a product with the given manifests (keyed by kind). */
export async function deployProduct(
  catalog: PostgresCatalog,
  tenantId: string,
  name: string,
  manifests: JsonObject = {},
  version = '1.0.0',
): Promise<SeededProduct> {
  return catalog.transaction(tenantId, async (tx) => {
    const product = (await tx.products.getByName(name)) ?? (await tx.products.register({ name }));
    const v = await tx.products.addVersion({
      productId: product.id,
      version,
      manifests,
      manifestHash: sha256(JSON.stringify([name, version, manifests])),
    });
    const d = await tx.deployments.create({ productId: product.id, productVersionId: v.id });
    return { productId: product.id, versionId: v.id, deploymentId: d.id, name };
  });
}
