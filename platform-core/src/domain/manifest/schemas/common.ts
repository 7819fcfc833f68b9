import { Type, type TSchema } from '@sinclair/typebox';
import { DURATION_PATTERN } from '../../duration.js';
import { CLASSIFICATIONS } from '../../classification.js';

export const API_VERSION = 'akili/v1';

/** `apiVersion` and `kind`, the header every manifest starts with. */
export function header(kind: string) {
  return {
    apiVersion: Type.Literal(API_VERSION, {
      title: 'API version',
      description: `The manifest format version. Always \`${API_VERSION}\`.`,
      examples: [API_VERSION],
    }),
    kind: Type.Literal(kind, {
      title: 'Kind',
      description: `The manifest kind. In this file it is always \`${kind}\`.`,
      examples: [kind],
    }),
  };
}

export function StringEnum<T extends string>(values: readonly T[], options: Record<string, unknown>) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

export const NAME_PATTERN = '^[a-z0-9][a-z0-9-]*[a-z0-9]$';
export const DOMAIN_PATTERN = '^[a-z][a-z0-9-]{0,62}$';
export const SNAKE_CASE_PATTERN = '^[a-z_][a-z0-9_]*$';

export const Duration = (options: Record<string, unknown>) =>
  Type.String({ pattern: DURATION_PATTERN, format: 'duration', ...options });

export const ProductName = (options: Record<string, unknown>) =>
  Type.String({ pattern: NAME_PATTERN, minLength: 2, maxLength: 63, ...options });

export const ColumnName = (options: Record<string, unknown>) =>
  Type.String({ pattern: SNAKE_CASE_PATTERN, minLength: 1, maxLength: 63, ...options });

export const ColumnList = (options: Record<string, unknown>) =>
  Type.Array(ColumnName({ description: 'A column of output.yaml.' }), { minItems: 1, ...options });

export const ClassificationLevel = (options: Record<string, unknown>) => StringEnum(CLASSIFICATIONS, options);

/** An object with only the listed keys (unknown keys are reported as warnings by the validator). */
export function Strict<T extends Record<string, TSchema>>(props: T, options: Record<string, unknown> = {}) {
  return Type.Object(props, { additionalProperties: false, ...options });
}

/** `if type == value then <then>`: used for per-type config blocks (discriminated by `type`). */
export function whenType(discriminator: string, value: string, then: Record<string, unknown>) {
  return {
    if: { properties: { [discriminator]: { const: value } }, required: [discriminator] },
    then,
  };
}
