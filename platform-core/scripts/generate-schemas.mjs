#!/usr/bin/env node
// Rebuilds platform-core/schemas/*.schema.json from the TypeBox schemas (one home for the
// manifest model). With --check, fails (exit 1) when a committed file differs: CI runs that.
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '..', 'schemas');
const { jsonSchemaText, MANIFEST_KINDS, schemaFileName } = await import('../dist/index.js');

const check = process.argv.includes('--check');
const kinds = [...MANIFEST_KINDS, 'Workspace'];
const expected = new Map(kinds.map((k) => [schemaFileName(k), jsonSchemaText(k)]));
await mkdir(outDir, { recursive: true });
let drift = [];
for (const [file, text] of expected) {
  const path = join(outDir, file);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === text) continue;
  if (check) drift.push(file);
  else await writeFile(path, text);
}
for (const file of await readdir(outDir)) {
  if (file.endsWith('.schema.json') && !expected.has(file)) {
    drift.push(`${file} (stale)`);
  }
}
if (check && drift.length) {
  console.error(`JSON Schemas are out of date: ${drift.join(', ')}.\nRun \`npm run generate\` and commit platform-core/schemas/.`);
  process.exit(1);
}
console.log(check ? `JSON Schemas up to date (${expected.size} files).` : `Wrote ${expected.size} JSON Schemas to platform-core/schemas/.`);
