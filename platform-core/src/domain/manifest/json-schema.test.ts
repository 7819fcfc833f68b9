import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf } from './json-schema.js';
import { MANIFEST_KINDS } from './kinds.js';

const kinds = [...MANIFEST_KINDS, 'Workspace'] as const;

/** Every sub-schema that carries examples, with its JSON pointer. */
function withExamples(node: unknown, path = ''): { path: string; schema: Record<string, unknown> }[] {
  if (typeof node !== 'object' || node === null) return [];
  const out: { path: string; schema: Record<string, unknown> }[] = [];
  const obj = node as Record<string, unknown>;
  if (Array.isArray(obj['examples']) && path !== '') out.push({ path, schema: obj });
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'object' && value !== null) out.push(...withExamples(value, `${path}/${key}`));
  }
  return out;
}

describe('published JSON Schemas', () => {
  for (const kind of kinds) {
    it(`${kind} is a valid draft 2020-12 schema that other tools can compile`, () => {
      const schema = jsonSchemaOf(kind);
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      // A strict validator that does not know Hekima's formats must still accept the schema.
      const ajv = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false, allowUnionTypes: true });
      expect(() => ajv.compile(schema)).not.toThrow();
      expect(typeof schema['title']).toBe('string');
      expect(typeof schema['description']).toBe('string');
    });

    it(`${kind}: every example validates against its own field schema`, () => {
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      for (const { path, schema } of withExamples(jsonSchemaOf(kind))) {
        const validate = ajv.compile({ ...schema, $id: undefined });
        for (const example of schema['examples'] as unknown[]) {
          expect(validate(example), `${kind}${path}: ${JSON.stringify(example)}`).toBe(true);
        }
      }
    });
  }

  it('documents every top-level property for hover text', () => {
    for (const kind of kinds) {
      const props = (jsonSchemaOf(kind)['properties'] ?? {}) as Record<string, { description?: string }>;
      for (const [name, prop] of Object.entries(props)) {
        expect(prop.description ?? '', `${kind}.${name}`).not.toBe('');
      }
    }
  });
});
