import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, createPlatform, validateWorkspace, type Finding } from '@hekima/platform-core';
import { invalidRoot } from '@hekima/fixtures';

interface Expected {
  description: string;
  tier?: 'fast' | 'full' | 'strict';
  findings: { code: string; severity?: string; file: string; line?: number; column?: number; path?: string }[];
}

const cases = readdirSync(invalidRoot, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(invalidRoot, d.name, 'expected-findings.json')))
  .map((d) => d.name)
  .sort();

const platform = createPlatform();

function load(name: string): Expected {
  return JSON.parse(readFileSync(join(invalidRoot, name, 'expected-findings.json'), 'utf8')) as Expected;
}

function describeFinding(f: Finding): string {
  return `${f.code} ${f.severity} ${f.file}:${f.range.start.line}:${f.range.start.column} ${f.path} — ${f.message}`;
}

describe('invalid fixtures', () => {
  it('has a case for every rule code', () => {
    const covered = new Set(cases.flatMap((c) => load(c).findings.map((f) => f.code)));
    const missing = ALL_RULES.map((r) => r.code).filter((code) => !covered.has(code));
    expect(missing).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  for (const name of cases) {
    it(`${name} yields exactly its expected findings`, async () => {
      const expected = load(name);
      const result = await validateWorkspace(platform.validationDeps(join(invalidRoot, name)), {
        tier: expected.tier ?? 'full',
        scope: '',
      });
      const actual = [...result.errors, ...result.warnings, ...result.infos];
      const unmatched = [...actual];
      const missing: string[] = [];
      for (const e of expected.findings) {
        const i = unmatched.findIndex(
          (f) =>
            f.code === e.code &&
            f.file === e.file &&
            (e.severity === undefined || f.severity === e.severity) &&
            (e.line === undefined || f.range.start.line === e.line) &&
            (e.column === undefined || f.range.start.column === e.column) &&
            (e.path === undefined || f.path === e.path),
        );
        if (i < 0) missing.push(JSON.stringify(e));
        else unmatched.splice(i, 1);
      }
      expect({ missing, unexpected: unmatched.map(describeFinding) }).toEqual({ missing: [], unexpected: [] });
      for (const f of actual) {
        expect(f.message.length, `message of ${f.code}`).toBeGreaterThan(10);
        expect(f.hint.length, `hint of ${f.code}`).toBeGreaterThan(5);
      }
    });
  }
});
