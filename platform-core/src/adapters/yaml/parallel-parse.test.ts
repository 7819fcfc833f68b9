import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DocumentParser } from '../../ports/source-document.js';

// Worker threads need the compiled worker file: this test runs against the build (`tsc -b`).
const built = fileURLToPath(new URL('../../../dist/adapters/yaml/yaml-document-parser.js', import.meta.url));

function manifest(i: number): string {
  return [
    'apiVersion: akili/v1',
    'kind: Output',
    'schema:',
    ...Array.from(
      { length: 40 },
      (_, k) =>
        `  - name: column_${i}_${k}\n    type: decimal(18,${k % 5})\n    description: "Column ${k} of product ${i}, with some text to make the file longer."`,
    ),
    i % 97 === 0 ? 'schema: duplicate' : '',
    i % 89 === 0 ? 'broken: [unclosed' : '',
    '',
  ].join('\n');
}

describe('parallel YAML parse (built worker)', () => {
  it('gives the same values, problems and ranges as parsing on one thread', async () => {
    const { YamlDocumentParser } = (await import(built)) as {
      YamlDocumentParser: new () => DocumentParser & { parseMany(t: string[]): Promise<unknown[]> };
    };
    const texts = Array.from({ length: 400 }, (_, i) => manifest(i));
    expect(texts.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(400_000);
    const parallel = new YamlDocumentParser();
    parallel.warmUp?.();
    const many = (await parallel.parseMany(texts)) as ReturnType<DocumentParser['parse']>[];
    const single = new YamlDocumentParser();
    expect(many).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const one = single.parse(texts[i]!);
      const other = many[i]!;
      expect(other.value).toEqual(one.value);
      expect(other.problems).toEqual(one.problems);
      expect(other.rangeOf('/schema/3/type')).toEqual(one.rangeOf('/schema/3/type'));
    }
    expect(many.filter((d) => d.problems.some((p) => p.kind === 'duplicate-key')).length).toBe(5);
    expect(many.filter((d) => d.problems.some((p) => p.kind === 'syntax')).length).toBe(5);
  });
});
