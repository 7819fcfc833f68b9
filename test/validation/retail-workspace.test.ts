import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPlatform, MANIFEST_FILES, validateWorkspace, type Finding } from '@hekima/platform-core';
import { workspacesRoot } from '@hekima/fixtures';

const root = join(workspacesRoot, 'retail');
const platform = createPlatform();

const describeFinding = (f: Finding) =>
  `${f.code} ${f.severity} ${f.file}:${f.range.start.line}:${f.range.start.column} ${f.message}`;

const productFolders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'product.yaml')))
  .map((d) => d.name)
  .sort();

interface InputsYaml {
  inputs: { id: string; type: string }[];
}

describe('fixtures/workspaces/retail', () => {
  it('validates with zero errors and zero warnings', async () => {
    const result = await validateWorkspace(platform.validationDeps(root), { tier: 'full', scope: '' });
    expect(result.errors.map(describeFinding)).toEqual([]);
    expect(result.warnings.map(describeFinding)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.productCount).toBe(productFolders.length);
  });

  it('has at least 7 products, each folder with all six manifests, its logic and test fixtures', () => {
    expect(productFolders.length).toBeGreaterThanOrEqual(7);
    for (const folder of productFolders) {
      for (const file of Object.values(MANIFEST_FILES))
        expect(existsSync(join(root, folder, file)), `${folder}/${file}`).toBe(true);
      const compute = parse(readFileSync(join(root, folder, 'compute.yaml'), 'utf8')) as {
        runtime?: string;
        entrypoint?: string;
      };
      const entrypoint =
        compute.entrypoint ?? (compute.runtime === 'python' ? 'logic/transform.py' : 'logic/transform.sql');
      expect(existsSync(join(root, folder, entrypoint)), `${folder}/${entrypoint}`).toBe(true);
      // One fixture per input, named by the input id, and the expected output.
      const { inputs } = parse(readFileSync(join(root, folder, 'inputs.yaml'), 'utf8')) as InputsYaml;
      for (const input of inputs) {
        const found = ['csv', 'json'].some((ext) =>
          existsSync(join(root, folder, 'tests/fixtures', `${input.id}.${ext}`)),
        );
        expect(found, `${folder}/tests/fixtures/${input.id}.csv|json`).toBe(true);
      }
      expect(
        existsSync(join(root, folder, 'tests/fixtures/expected_output.csv')),
        `${folder}/tests/fixtures/expected_output.csv`,
      ).toBe(true);
    }
  });

  it('has expected outputs whose header is exactly the output.yaml schema', () => {
    for (const folder of productFolders) {
      const output = parse(readFileSync(join(root, folder, 'output.yaml'), 'utf8')) as { schema: { name: string }[] };
      const header = readFileSync(join(root, folder, 'tests/fixtures/expected_output.csv'), 'utf8').split('\n')[0];
      expect(header, folder).toBe(output.schema.map((c) => c.name).join(','));
    }
  });

  it('feeds each data_product fixture with the expected output of that upstream product', () => {
    for (const folder of productFolders) {
      const { inputs } = parse(readFileSync(join(root, folder, 'inputs.yaml'), 'utf8')) as InputsYaml;
      for (const input of inputs.filter((i) => i.type === 'data_product')) {
        const fixture = readFileSync(join(root, folder, 'tests/fixtures', `${input.id}.csv`), 'utf8');
        const upstream = readFileSync(join(root, input.id, 'tests/fixtures/expected_output.csv'), 'utf8');
        expect(fixture, `${folder}/tests/fixtures/${input.id}.csv`).toBe(upstream);
      }
    }
  });

  it('covers the archetypes, runtimes, schedules and serving types it is meant to showcase', () => {
    const endpoints = new Set<string>();
    const checks = new Set<string>();
    const schedules = new Set<string>();
    const runtimes = new Set<string>();
    let connectorInputs = 0;
    for (const folder of productFolders) {
      const read = <T>(file: string) => parse(readFileSync(join(root, folder, file), 'utf8')) as T;
      for (const e of read<{ endpoints: { type: string }[] }>('serving.yaml').endpoints) endpoints.add(e.type);
      for (const c of read<{ checks: { type: string }[] }>('quality.yaml').checks) checks.add(c.type);
      const compute = read<{ runtime?: string; schedule?: { type?: string } }>('compute.yaml');
      schedules.add(compute.schedule?.type ?? 'event');
      runtimes.add(compute.runtime ?? 'sql');
      connectorInputs += read<InputsYaml>('inputs.yaml').inputs.filter((i) => i.type === 'connector').length;
    }
    expect([...endpoints].sort()).toEqual(['analytics', 'lookup', 'realtime', 'timeseries']);
    for (const t of [
      'completeness',
      'freshness',
      'volume',
      'uniqueness',
      'range',
      'accepted_values',
      'referential',
      'custom_expression',
      'regex',
      'custom_sql',
    ]) {
      expect(checks.has(t), `a ${t} check`).toBe(true);
    }
    expect([...schedules].sort()).toEqual(['cron', 'event']);
    expect([...runtimes].sort()).toEqual(['python', 'sql']);
    expect(connectorInputs).toBeGreaterThanOrEqual(5);
  });
});
