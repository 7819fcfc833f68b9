import { schemaOf, schemaFileName, SCHEMA_BASE_URL, type ManifestKind } from './kinds.js';

/** The published JSON Schema (draft 2020-12) of a kind, as a plain JSON value. */
export function jsonSchemaOf(kind: ManifestKind | 'Workspace'): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(schemaOf(kind))) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_BASE_URL + schemaFileName(kind),
    ...plain,
  };
}

/** Deterministic text of a schema file: two-space JSON with a trailing newline. */
export function jsonSchemaText(kind: ManifestKind | 'Workspace'): string {
  return JSON.stringify(jsonSchemaOf(kind), null, 2) + '\n';
}
