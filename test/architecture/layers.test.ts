import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const src = join(root, 'platform-core/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? files(path)
      : name.endsWith('.ts') && !name.endsWith('.test.ts')
        ? [path]
        : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const rules: { layer: string; forbidden: RegExp; why: string }[] = [
  {
    layer: 'domain',
    forbidden: /(\/ports\/|\/application\/|\/adapters\/|\/cli\/|composition|^node:|^yaml$|^pg$)/,
    why: 'domain is pure',
  },
  { layer: 'ports', forbidden: /(\/application\/|\/adapters\/|\/cli\/|composition)/, why: 'ports speak domain types' },
  { layer: 'application', forbidden: /(\/adapters\/|\/cli\/|composition)/, why: 'application depends on ports only' },
  { layer: 'adapters', forbidden: /(\/cli\/|composition)/, why: 'adapters never import the CLI' },
];

describe('import layers of platform-core', () => {
  for (const rule of rules) {
    it(`${rule.layer}/ imports nothing it must not (${rule.why})`, () => {
      const offenders = files(join(src, rule.layer)).flatMap((f) =>
        imports(f)
          .filter((i) => rule.forbidden.test(i))
          .map((i) => `${relative(root, f)} imports ${i}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  it('only composition.ts constructs adapters outside adapters/ and tests', () => {
    const offenders = files(src)
      .filter((f) => !f.includes('/adapters/') && !f.endsWith('composition.ts') && !f.endsWith('index.ts'))
      .filter((f) => imports(f).some((i) => i.includes('/adapters/')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
