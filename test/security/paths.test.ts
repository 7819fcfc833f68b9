import { mkdtempSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, validateWorkspace, type Finding } from '@hekima/platform-core';
import { workspacesRoot } from '@hekima/fixtures';
import { FileConnector } from '../../platform-core/src/adapters/connectors/file/file-connector.js';
import { isHekimaError } from '../../platform-core/src/domain/errors.js';

/**
 * Path confinement (issue 10 A, docs/security.md): every path form a connection or an input can
 * write, against every protected location, is refused at validation (WSP-005 at the hekima.yaml
 * line, CON-005 at the inputs.yaml line) AND at run time by the file connector on real paths (a
 * worker runs deployed plans: the run must not rely on validation having happened).
 *
 * Protected locations: the platform state (.hekima/catalog), the lake (embedded under .hekima/lake
 * and a server lake root outside the workspace), key material (the key folder outside the
 * workspace, and a legacy .hekima/secret.key). Every protected file holds a SECRET- marker that
 * must never appear in any result or error.
 */

// Made at load time: the cases (absolute paths among them) are listed before any hook runs.
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'hekima-sec-paths-')));
const ws = join(tmp, 'ws');
const outside = join(tmp, 'elsewhere');
const platform = createPlatform();

/** Where each protected file is, relative to the temporary folder. */
const LOCATIONS = {
  state: 'ws/.hekima/catalog/PG_VERSION',
  lake: 'ws/.hekima/lake/tenant-1/customers/1.0.0/snapshots/s1/data.csv',
  'server lake': 'lake/tenant-2/customers/1.0.0/snapshots/s2/data.csv',
  key: 'state/keys/workspace.key',
  'legacy key': 'ws/.hekima/secret.key',
} as const;
type Location = keyof typeof LOCATIONS;

interface Case {
  readonly form: string;
  /** The connection's config.path and the input's ingestion_config.path. */
  readonly connection: string;
  readonly input: string;
  /** A link to make first: [link path in the workspace, target relative to the temporary folder]. */
  readonly link?: readonly [string, string];
}

/** The path forms, for one protected file (`file`, relative to the temporary folder). */
function casesFor(file: string): Case[] {
  const abs = (p: string) => join(tmp, p);
  const dir = dirname(file);
  const name = file.slice(dir.length + 1);
  const fromWs = relative('ws', file); // e.g. .hekima/catalog/PG_VERSION or ../state/keys/workspace.key
  const fromData = relative('ws/data', file);
  const inWs = !fromWs.startsWith('..');
  const encoded = fromWs.replace(/\./g, '%2e').replace(/\//g, '%2f');
  return [
    { form: 'relative connection folder', connection: relative('ws', dir), input: name },
    { form: 'relative input path', connection: '.', input: fromWs },
    { form: 'absolute connection folder', connection: abs(dir), input: name },
    { form: 'absolute input path', connection: 'data', input: abs(file) },
    { form: '.. in the connection folder', connection: `data/../${relative('ws', dir)}`, input: name },
    { form: '.. in the input path', connection: 'data', input: fromData },
    { form: 'URL-encoded input path', connection: '.', input: encoded },
    { form: 'file:// URL', connection: `file://${abs(dir)}`, input: name },
    { form: '~ (home folder)', connection: `~/${relative(process.env['HOME'] ?? '/', abs(dir))}`, input: name },
    ...(inWs
      ? [{ form: 'glob naming the hidden folder', connection: '.', input: `${fromWs.split('/')[0]}/**/${name}` }]
      : []),
    { form: 'linked connection folder', connection: 'data/link', input: name, link: ['data/link', dir] },
    { form: 'linked folder in the input path', connection: 'data', input: `link/${name}`, link: ['data/link', dir] },
    { form: 'linked file read by name', connection: 'data', input: 'leak.csv', link: ['data/leak.csv', file] },
    { form: 'linked file matched by a glob', connection: 'data', input: '*.csv', link: ['data/leak.csv', file] },
  ];
}

beforeAll(async () => {
  await cp(join(workspacesRoot, 'minimal'), ws, { recursive: true, filter: (s) => !s.includes('.hekima') });
  await rm(join(ws, 'orders'), { recursive: true });
  await rm(join(ws, 'customer-orders'), { recursive: true });
  for (const [location, file] of Object.entries(LOCATIONS)) {
    await mkdir(dirname(join(tmp, file)), { recursive: true });
    await writeFile(join(tmp, file), `id,value\n1,SECRET-${location}\n`);
  }
  await mkdir(outside);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function arrange(c: Case): Promise<() => Promise<void>> {
  const hekimaYaml = `apiVersion: akili/v1\nkind: Workspace\ntenant: acme\nteams: [sales-analytics, crm]\nconnections:\n  - name: files\n    type: file\n    config:\n      path: ${JSON.stringify(c.connection)}\n`;
  await writeFile(join(ws, 'hekima.yaml'), hekimaYaml);
  await writeFile(
    join(ws, 'customers/inputs.yaml'),
    `apiVersion: akili/v1\nkind: Inputs\ninputs:\n  - id: raw-customers\n    type: connector\n    connector_ref: files\n    ingestion_strategy: full_refresh\n    ingestion_config:\n      path: ${JSON.stringify(c.input)}\n      format: csv\n`,
  );
  if (c.link) await symlink(join(tmp, c.link[1]), join(ws, c.link[0]));
  return async () => {
    if (c.link) await rm(join(ws, c.link[0]), { force: true });
  };
}

async function validate(): Promise<Finding[]> {
  const result = await validateWorkspace(platform.validationDeps(ws), { tier: 'full', scope: '' });
  return [...result.errors];
}

/** The file connector as a worker builds it: the lake roots and the key folder are protected. */
async function extract(c: Case) {
  const connector = new FileConnector(ws, [join(tmp, 'lake'), join(tmp, 'state')]);
  const work = await mkdtemp(join(outside, 'work-'));
  return connector.extract({
    connection: { name: 'files', type: 'file', config: { path: c.connection } },
    input: { id: 'raw-customers', strategy: 'full_refresh', config: { path: c.input, format: 'csv' } },
    state: null,
    workDir: work,
    signal: new AbortController().signal,
  });
}

describe('path confinement: every path form against every protected location', () => {
  for (const location of Object.keys(LOCATIONS) as Location[]) {
    describe(location, () => {
      for (const c of casesFor(LOCATIONS[location])) {
        it(`${c.form}: refused at validation, at the line that names it, and at run`, async () => {
          const undo = await arrange(c);
          try {
            const findings = await validate();
            const refusal = findings.find((f) => f.code === 'WSP-005' || f.code === 'CON-005');
            expect(refusal, JSON.stringify(findings.map((f) => `${f.code} ${f.message}`))).toBeDefined();
            const named = refusal!.code === 'WSP-005' ? 'hekima.yaml' : 'customers/inputs.yaml';
            expect(refusal!.file).toBe(named);
            expect(refusal!.path).toMatch(/\/path$/);
            expect(refusal!.message + refusal!.hint).not.toContain('SECRET-');

            const error = await extract(c).then(
              (e) => new Error(`extracted ${JSON.stringify(e.source)}`),
              (e: unknown) => e,
            );
            expect(isHekimaError(error), String(error)).toBe(true);
            if (!isHekimaError(error)) return;
            expect(['Forbidden', 'InvalidArgument']).toContain(error.kind);
            expect(error.code).toMatch(/^(path_protected|path_outside_workspace|connection_path_missing)$/);
            expect(JSON.stringify(error.toJSON())).not.toContain('SECRET-');
          } finally {
            await undo();
          }
        });
      }
    });
  }

  it('a wildcard never matches a hidden entry: ** over the workspace root reads data files only', async () => {
    const c: Case = { form: 'bare glob', connection: '.', input: '**/*.csv' };
    const undo = await arrange(c);
    try {
      expect((await validate()).filter((f) => f.code === 'WSP-005' || f.code === 'CON-005')).toEqual([]);
      const result = await extract(c);
      const paths = 'paths' in result.source ? (result.source.paths ?? []) : [result.source.path];
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(relative(ws, String(p))).not.toMatch(/(^|\/)\./);
    } finally {
      await undo();
    }
  });
});
