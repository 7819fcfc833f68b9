import type { TSchema } from '@sinclair/typebox';
import { ProductSchema } from './schemas/product.js';
import { InputsSchema } from './schemas/inputs.js';
import { OutputSchema } from './schemas/output.js';
import { ServingSchema } from './schemas/serving.js';
import { QualitySchema } from './schemas/quality.js';
import { ComputeSchema } from './schemas/compute.js';
import { WorkspaceConfigSchema } from './schemas/workspace-config.js';

export const MANIFEST_KINDS = ['DataProduct', 'Inputs', 'Output', 'Serving', 'Quality', 'Compute'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

export const MANIFEST_FILES: Record<ManifestKind, string> = {
  DataProduct: 'product.yaml',
  Inputs: 'inputs.yaml',
  Output: 'output.yaml',
  Serving: 'serving.yaml',
  Quality: 'quality.yaml',
  Compute: 'compute.yaml',
};

export const KIND_OF_FILE: Record<string, ManifestKind> = Object.fromEntries(
  Object.entries(MANIFEST_FILES).map(([kind, file]) => [file, kind as ManifestKind]),
);

export const WORKSPACE_CONFIG_FILE = 'hekima.yaml';

export const MANIFEST_SCHEMAS: Record<ManifestKind, TSchema> = {
  DataProduct: ProductSchema,
  Inputs: InputsSchema,
  Output: OutputSchema,
  Serving: ServingSchema,
  Quality: QualitySchema,
  Compute: ComputeSchema,
};

/** Short names accepted by `hekima schema <kind>` (kind, file stem, or lower-case kind). */
export function resolveKindName(name: string): ManifestKind | 'Workspace' | undefined {
  const lower = name.toLowerCase().replace(/\.ya?ml$/, '');
  if (lower === 'workspace' || lower === 'hekima') return 'Workspace';
  for (const kind of MANIFEST_KINDS) {
    if (kind.toLowerCase() === lower || MANIFEST_FILES[kind].replace('.yaml', '') === lower) return kind;
  }
  return undefined;
}

export function schemaOf(kind: ManifestKind | 'Workspace'): TSchema {
  return kind === 'Workspace' ? WorkspaceConfigSchema : MANIFEST_SCHEMAS[kind];
}

export const SCHEMA_BASE_URL = 'https://hekima.dev/schemas/akili/v1/';
export function schemaFileName(kind: ManifestKind | 'Workspace'): string {
  return kind === 'Workspace' ? 'workspace.schema.json' : `${MANIFEST_FILES[kind].replace('.yaml', '')}.schema.json`;
}
