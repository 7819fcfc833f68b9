import type { ManifestKind } from '../domain/manifest/kinds.js';

/**
 * One violation of a manifest's JSON Schema (draft 2020-12), in the terms of the schema: the
 * keyword that failed, where in the document, the keyword's parameters, and (for messages) the
 * offending value and the schema object that holds the keyword.
 */
export interface SchemaViolation {
  readonly keyword: string;
  /** JSON Pointer into the validated value. */
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  readonly data?: unknown;
  readonly parentSchema?: unknown;
}

/** Validates parsed manifests against their JSON Schemas (`domain/manifest/kinds.ts`). */
export interface JsonSchemaValidator {
  /** Every violation of `value` against the schema of `kind`; empty when it is valid. */
  validate(kind: ManifestKind | 'Workspace', value: unknown): readonly SchemaViolation[];
}
