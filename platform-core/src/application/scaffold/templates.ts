import type { ManifestKind } from '../../domain/manifest/kinds.js';

/** The smallest valid body of a manifest that has no required content besides its header. */
export function minimalManifest(kind: ManifestKind): string {
  const head = `apiVersion: akili/v1\nkind: ${kind}\n`;
  switch (kind) {
    case 'Inputs':
      return `${head}inputs: []\n`;
    case 'Serving':
      return `${head}endpoints:\n  - type: analytics\n`;
    case 'Quality':
      return `${head}checks: []\n`;
    case 'Compute':
      return `${head}runtime: sql\nentrypoint: logic/transform.sql\n`;
    case 'Output':
      return `${head}schema:\n  - name: id\n    type: string\n    primary_key: true\n    role: identity\n`;
    case 'DataProduct':
      return `${head}metadata:\n  name: my-product\n  domain: my-domain\n  version: 0.1.0\n  owner: my-team\n  description: Describe what this product contains.\n  classification: internal\n`;
  }
}
